using System.CommandLine;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Training.Loop;
using WeJepa.Vulkan;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa train loop --scene S [--config C] [--set k=v]… [--out DIR] [--resume] [--print-config]</c>: the closed loop
/// online — the live simulator films episodes into shared memory, a JEPA encoder (pretrained here first) turns frames
/// into features, a ridge head into states, and the dynamics model trains on those estimates, scored each round on
/// held-out episodes (see <see cref="LoopTrainer"/>).
/// </summary>
public sealed class TrainLoopCommand : ITrainCommand
{
    public const string DefaultOut = "runs/loop";

    public Command Build()
    {
        var scene = new Option<string?>("--scene") { Description = "Scene file (.yaml); default: the built-in scenes/pendulum.yaml" };
        var config = new Option<string>("--config") { Description = $"A preset ({string.Join(", ", LoopConfig.Presets)}) or a .yaml/.json file", DefaultValueFactory = _ => LoopConfig.Default };
        var set = new Option<string[]>("--set") { Description = "section.key=value override (repeatable), e.g. --set episodes.rounds=4" };
        var output = new Option<string>("--out") { Description = "Run folder", DefaultValueFactory = _ => DefaultOut };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out (same config; episodes.rounds may grow): identical metrics to an uninterrupted run" };
        var print = new Option<bool>("--print-config") { Description = "Print the resolved config as YAML and exit" };
        var command = new Command("loop",
            "The closed loop: live simulator → JEPA features → ridge state head → dynamics trained on the estimated states, scored each round " +
            "on held-out episodes (θ MSE and energy drift of rollouts from initial states fitted to their first frames); writes config.yaml, " +
            "metrics.jsonl (with the host bytes per step: frames never cross), loop.json and the trainers' folders into --out.")
        {
            scene, config, set, output, resume, print,
        };
        command.SetAction(parse =>
        {
            var settings = LoopConfig.Resolve(parse.GetValue(config), parse.GetValue(set) ?? []);
            if (parse.GetValue(print))
            {
                Console.Write(settings.ToYaml());
                return 0;
            }
            var outDir = parse.GetValue(output)!;
            OutputTarget.CheckFolder("--out", outDir, [parse.GetValue(scene), parse.GetValue(config)]);
            var result = Run(SceneInput.Load(parse.GetValue(scene)), settings, outDir, parse.GetValue(resume));
            foreach (var r in result.Rounds) Console.WriteLine(Describe(r));
            if (result.Oracle is { } o) Console.WriteLine($"oracle ({settings.Dynamics.Model} on true states, from the true initial state): θ MSE {o.ThetaMse:G3} rad², median energy drift {o.MedianEnergyDrift:G3}");
            if (result.Baseline is { } b) Console.WriteLine($"baseline (mlp on the estimates): θ MSE {b.ThetaMse:G3} rad², median energy drift {b.MedianEnergyDrift:G3}");
            Console.WriteLine($"wrote {outDir}/");
            return 0;
        });
        return command;
    }

    /// <summary>Runs the loop on <paramref name="input"/> into <paramref name="outDir"/> (the scene's YAML is kept there: the live JEPA data reads it).</summary>
    public static LoopResult Run((Core.Scenes.Scene Scene, string Yaml) input, LoopConfig settings, string outDir, bool resume)
    {
        AtomicFile.EnsureFolder(outDir);
        var scenePath = Path.Combine(outDir, "scene.yaml");
        AtomicFile.WriteAllText(scenePath, input.Yaml);
        using var engine = DeviceOption.Open(settings.Hardware.Device);
        using var vulkan = VulkanDevice.Create();
        var trainer = new LoopTrainer(engine, vulkan, input.Scene, scenePath, settings, outDir) { Say = Stage() };
        return trainer.Run(resume);
    }

    /// <summary>Prints each stage with the seconds since the previous one.</summary>
    static Action<string> Stage()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return m => Console.Error.WriteLine($"loop [{clock.Elapsed.TotalSeconds,6:F1} s]: {m}");
    }

    public static string Describe(LoopRound r) =>
        $"round {r.Round + 1}: {r.Episodes} episodes, head R² sin {r.HeadRSquared[0]:F3} cos {r.HeadRSquared[1]:F3} ω {r.HeadRSquared[2]:F3}, " +
        $"frame θ RMSE {r.FrameThetaRmse:G3} rad; rollout θ MSE {r.Score.ThetaMse:G3} rad², median energy drift {r.Score.MedianEnergyDrift:G3} " +
        $"over {r.Score.Horizon} steps; host traffic {r.Traffic.BytesPerStep:F0} B/step, frames {r.Traffic.FrameBytesPerStep:F0} B/step";
}
