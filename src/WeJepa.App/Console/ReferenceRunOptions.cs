using System.CommandLine;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.App.Terminal;

/// <summary>
/// What <c>simulate</c> and <c>demo</c> share: a scene with <c>--envs/--steps/--seed</c> overrides, run
/// through the reference physics under a progress bar.
/// </summary>
public sealed class ReferenceRunOptions(Option<string?> scene)
{
    public Option<string?> Scene { get; } = scene;
    public Option<int?> Envs { get; } = new("--envs") { Description = "Batched environments N (default: the scene's)" };
    public Option<int?> Steps { get; } = new("--steps") { Description = "Steps T after the initial state (default: the scene's)" };
    public Option<ulong?> Seed { get; } = new("--seed") { Description = "Seed of the initial states (default: the scene's)" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Scene, Envs, Steps, Seed }) command.Options.Add(option);
    }

    /// <summary>The scene with the overrides applied, and its YAML text (copied into outputs for provenance).</summary>
    public (Scene Scene, string Yaml) Resolve(ParseResult parse)
    {
        var (loaded, yaml) = SceneInput.Load(parse.GetValue(Scene));
        return (SceneInput.Override(loaded, parse.GetValue(Envs), parse.GetValue(Steps), parse.GetValue(Seed)), yaml);
    }

    /// <summary>The scene's path when it came from a file (an input the output folder must not hold), else null.</summary>
    public string? ScenePath(ParseResult parse) => parse.GetValue(Scene);

    /// <summary>Simulates under a progress bar; a batch with Inf/NaN is refused (exit 2) before anything is written.</summary>
    public static Trajectory Simulate(Scene s)
    {
        var t = Progress.Run($"simulating {s.Settings.Envs} envs × {s.Settings.Steps} steps", (long)s.Settings.Envs * s.Settings.Steps,
            p => ReferenceSimulator.Run(s, progress: p));
        TrajectoryChecks.EnsureFinite(s, t);
        return t;
    }
}
