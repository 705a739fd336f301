using System.CommandLine;
using System.Diagnostics;
using WeJepa.App.Terminal;
using WeJepa.Core.IO;
using WeJepa.Training.Loop;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa demo</c>: the closed loop end to end on a scene (default: the embedded <c>scenes/pendulum.yaml</c>) —
/// pretrain a JEPA encoder on live frames, fit the state head, train the HNN on the estimated states, roll held-out
/// episodes out from initial states estimated from their first frames — and a report folder: <c>report.md</c> with the
/// numbers and pictures, <c>metrics.json</c>, the charts, and the run itself in <c>run/</c> (see <see cref="TrainLoopCommand"/>).
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string DefaultOut = "runs/demo";

    public Command Build()
    {
        var scene = new Option<string?>("--scene") { Description = "Scene file (.yaml, a simple pendulum); default: the built-in scenes/pendulum.yaml" };
        var output = new Option<string>("--out") { Description = "Report folder (replaced when it holds only an earlier report; refused when it holds anything else)", DefaultValueFactory = _ => DefaultOut };
        var quick = new Option<bool>("--quick") { Description = "Smaller everything (the quick preset): under two minutes on two cores" };
        var config = new Option<string?>("--config") { Description = $"A loop preset ({string.Join(", ", LoopConfig.Presets)}) or a .yaml/.json file; default: default (--quick: quick)" };
        var set = new Option<string[]>("--set") { Description = "section.key=value override of the loop config (repeatable)" };
        var headless = new Option<bool>("--headless") { Description = "Never open a window (without a display none opens anyway)" };
        var command = new Command("demo",
            $"The closed loop on a scene: live simulator → JEPA features → state head → HNN on the estimated states → rollouts rendered by the simulator; " +
            $"writes a report folder (default {DefaultOut}/): {string.Join(", ", DemoReport.Files)} and the run in run/")
        {
            scene, output, quick, config, set, headless,
        };
        command.SetAction(parse =>
        {
            var preset = parse.GetValue(config) ?? (parse.GetValue(quick) ? "quick" : LoopConfig.Default);
            var settings = LoopConfig.Resolve(preset, parse.GetValue(set) ?? []);
            var input = SceneInput.Load(parse.GetValue(scene));
            var outDir = parse.GetValue(output)!;
            OutputTarget.CheckFolder("--out", outDir, [parse.GetValue(scene), parse.GetValue(config)], [.. DemoReport.Files, DemoReport.RunFolder]);
            Console.WriteLine($"demo: the closed loop on {input.Scene.Source} ({settings.Source}, encoder {settings.Encoder.Kind})");
            var clock = Stopwatch.StartNew();
            using (var dir = new AtomicDirectory(outDir))
            {
                var runDir = dir.FilePath(DemoReport.RunFolder);
                var result = TrainLoopCommand.Run(input, settings, runDir, resume: false);
                DemoReport.Write(dir, input.Scene, settings, result, runDir, clock.Elapsed.TotalSeconds);
                dir.Commit();
                Console.WriteLine(DemoReport.Summary(result));
            }
            Console.WriteLine($"finished in {clock.Elapsed.TotalSeconds:F0} s; report: {Path.Combine(outDir, "report.md")} (metrics.json, charts, run/ beside it)");
            if (!parse.GetValue(headless) && Environment.GetEnvironmentVariable("DISPLAY") is { Length: > 0 })
                Console.WriteLine($"to watch the learned twin live: wejepa view --checkpoint {Path.Combine(outDir, DemoReport.RunFolder, LoopTrainer.DynamicsDir)}");
            return 0;
        });
        return command;
    }
}
