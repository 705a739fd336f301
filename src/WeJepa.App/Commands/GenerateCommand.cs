using System.CommandLine;
using Spectre.Console;
using Spectre.Console.Rendering;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.App.Terminal;
using WeJepa.Simulation.Datasets;
using WeJepa.Vulkan;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa generate</c>: headless dataset generation (GPU physics + GPU render) into NPY shards,
/// meta.json and preview.png. See <see cref="DatasetWriter"/> for the files.
/// </summary>
public sealed class GenerateCommand : ICliCommand
{
    public Command Build()
    {
        var scene = new Option<string>("--scene") { Description = "Scene file (.yaml)", Required = true };
        var episodes = new Option<int?>("--episodes") { Description = "Number of episodes (default: the scene's envs)" };
        var steps = new Option<int?>("--steps") { Description = "Frames per episode, the initial state included (default: the scene's steps)" };
        var output = new Option<string>("--out") { Description = "Output folder (files other than the dataset's are left alone; one run at a time)", Required = true };
        var seed = new Option<ulong?>("--seed") { Description = "Override the scene's seed" };
        var shard = new Option<int?>("--shard-episodes") { Description = "Episodes per shard (default: ~256 MiB of frames per shard)" };
        var resume = new Option<bool>("--resume") { Description = "Keep the shards of an interrupted run whose sha256 still matches; redo the rest" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing different dataset in --out" };
        var reference = new Option<bool>("--reference") { Description = "Use the C# reference physics and renderer instead of Vulkan (slow; no driver needed)" };
        var gpu = new Option<string?>("--gpu") { Description = "Vulkan device: index or name substring (default: $WEJEPA_GPU, else a discrete GPU, else lavapipe)" };
        var command = new Command("generate", "Generate a dataset of rendered pendulum episodes (uint8 frames, float32 states and energy).")
        {
            scene, episodes, steps, output, seed, shard, resume, force, reference, gpu,
        };
        command.SetAction((parse, cancel) => Task.FromResult(Run(new GenerateOptions(
            parse.GetValue(scene)!, parse.GetValue(episodes), parse.GetValue(steps), parse.GetValue(output)!, parse.GetValue(seed),
            parse.GetValue(shard), parse.GetValue(resume), parse.GetValue(force), parse.GetValue(reference), parse.GetValue(gpu)), cancel)));
        return command;
    }

    public static int Run(GenerateOptions o, CancellationToken cancel)
    {
        if (o.Resume && o.Force) throw new UserError("--resume and --force contradict each other: pick one");
        OutputTarget.CheckFolder("--out", o.Out, [o.Scene]); // the writer deletes only its own file names; the lock excludes a second writer
        var plan = o.Plan();
        var existing = o.Resume ? ExistingDataset.Resume : o.Force ? ExistingDataset.Overwrite : ExistingDataset.Refuse;
        using IEpisodeSource source = o.Reference ? new ReferenceEpisodeSource(plan.Scene) : GpuEpisodeSource.Open(plan.Scene, new VulkanOptions { Gpu = o.Gpu });

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var written = WithProgress($"{plan.Scene.Settings.Name}: {plan.Episodes}×{plan.Steps} frames", plan.TotalFrames,
            progress => new DatasetWriter(plan, o.Out) { Progress = progress }.Write(source, existing, cancel));
        double seconds = clock.Elapsed.TotalSeconds;
        long framesMade = written.Sum(i => (long)plan.ShardSize(i) * plan.Steps);
        System.Console.WriteLine($"wrote {written.Count} of {plan.ShardCount} shard(s) to {o.Out}/ ({framesMade:N0} frames of " +
                                 $"{plan.Render.Width}x{plan.Render.Height} in {seconds:F1} s, {framesMade / Math.Max(seconds, 1e-9):N0} frames/s; " +
                                 $"{(o.Reference ? "C# reference" : "Vulkan")}): frames/states/energy-NNNNN.npy, meta.json, preview.png");
        return ExitCodes.Ok;
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar with frames/s on stderr (no drawing without a terminal).</summary>
    private static T WithProgress<T>(string description, long total, Func<IProgress<long>?, T> work)
    {
        var stderr = Consoles.Error;
        if (!stderr.Profile.Capabilities.Interactive) return work(null);
        T result = default!;
        stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new FramesPerSecondColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(description, maxValue: total);
                result = work(new ProgressTo(task));
            });
        return result;
    }

    /// <summary>Sets the progress task's value (Spectre's ProgressTask is thread-safe).</summary>
    private sealed class ProgressTo(ProgressTask task) : IProgress<long>
    {
        public void Report(long value) => task.Value = value;
    }

    /// <summary>Frames per second of the task, from Spectre's own speed estimate.</summary>
    private sealed class FramesPerSecondColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed:N0} frames/s" : "- frames/s");
    }
}

/// <summary>The options of <c>wejepa generate</c>, parsed.</summary>
public sealed record GenerateOptions(string Scene, int? Episodes, int? Steps, string Out, ulong? Seed = null,
    int? ShardEpisodes = null, bool Resume = false, bool Force = false, bool Reference = false, string? Gpu = null)
{
    public DatasetPlan Plan()
    {
        var (scene, yaml) = SceneInput.Load(Scene);
        scene = scene.With(seed: Seed);
        int episodes = Episodes ?? scene.Settings.Envs, steps = Steps ?? scene.Settings.Steps;
        if (episodes < 1) throw new UserError($"--episodes must be >= 1 (got {episodes})");
        if (steps < 1) throw new UserError($"--steps must be >= 1 (got {steps})");
        if (ShardEpisodes is < 1) throw new UserError($"--shard-episodes must be >= 1 (got {ShardEpisodes})");
        var camera = scene.Camera;
        long frameBytes = 3L * camera.Width * camera.Height;
        if (frameBytes > DatasetChecks.MaxFrameBytes)
            throw new UserError($"{Scene}: Camera {camera.Width}x{camera.Height}: one frame needs {frameBytes:N0} bytes (float32: {4 * frameBytes:N0}), " +
                                $"more than one storage-buffer binding holds ({DatasetChecks.MaxFrameBytes:N0} bytes); lower Camera.width/height");
        if (camera.Width % 4 != 0)
            throw new UserError($"{Scene}: Camera.width = {camera.Width}: must be a multiple of 4 (the renderer writes 4 pixels per 32-bit word)");
        int shardEpisodes = Math.Min(ShardEpisodes ?? DatasetPlan.DefaultShardEpisodes(episodes, steps, (int)frameBytes), episodes);
        if ((long)shardEpisodes * steps > int.MaxValue)
            throw new UserError($"--shard-episodes {shardEpisodes} × --steps {steps} frames is too many for one shard; lower --shard-episodes");
        return new DatasetPlan(yaml, scene, episodes, steps, shardEpisodes);
    }
}
