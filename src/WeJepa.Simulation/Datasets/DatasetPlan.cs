using WeJepa.Core.Scenes;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Datasets;

/// <summary>
/// What a dataset is: the scene as given, its seed, the episode count and length, the sharding.
/// Two runs with equal plans (and tool versions) write identical bytes; <c>--resume</c> continues only
/// a dataset with an equal plan.
/// </summary>
public sealed record DatasetPlan(string SceneYaml, Scene Scene, int Episodes, int Steps, int ShardEpisodes)
{
    public RenderSpec Render { get; } = RenderSpec.FromScene(Scene);
    public int StateSize => Scene.StateSize;
    public int FrameBytes => Render.FrameFloats;
    public int ShardCount => (Episodes + ShardEpisodes - 1) / ShardEpisodes;
    public long TotalFrames => (long)Episodes * Steps;

    public int ShardFirstEpisode(int shard) => shard * ShardEpisodes;
    public int ShardSize(int shard) => Math.Min(ShardEpisodes, Episodes - shard * ShardEpisodes);

    public static string FramesFile(int shard) => $"frames-{shard:D5}.npy";
    public static string StatesFile(int shard) => $"states-{shard:D5}.npy";
    public static string EnergyFile(int shard) => $"energy-{shard:D5}.npy";
    public static IEnumerable<string> ShardFiles(int shard) => [FramesFile(shard), StatesFile(shard), EnergyFile(shard)];

    /// <summary>Default shard size: as many episodes as fit ~256 MiB of frames, at least one.</summary>
    public static int DefaultShardEpisodes(int episodes, int steps, int frameBytes) =>
        (int)Math.Clamp((256L << 20) / ((long)steps * frameBytes), 1, episodes);
}
