using System.CommandLine;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Devices;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa train dynamics --model hnn|dhnn|lnn|mlp --data DIR [--config C] [--out DIR] [--resume] [--print-config]</c>:
/// trains a learned vector field on trajectories (see <see cref="TrajectorySet.Load"/> for the data formats) and keeps
/// checkpoints, metrics.jsonl and loss.png in --out.
/// </summary>
public sealed class TrainDynamicsCommand : ITrainCommand
{
    public Command Build()
    {
        var model = new Option<string?>("--model") { Description = "hnn | dhnn (HNN + learned dissipation) | lnn | mlp (overrides the config's model)" };
        model.AcceptOnlyFromAmong("hnn", "dhnn", "lnn", "mlp");
        var data = new Option<string?>("--data") { Description = "Trajectories: a simulate/generate output, or states.npy (N,T,2d) [+ derivatives.npy] + meta.json with dt" };
        var config = new Option<string?>("--config") { Description = "Config (.yaml or .json; unknown keys are errors)" };
        var output = new Option<string>("--out") { Description = "Run folder", DefaultValueFactory = _ => "runs/dynamics" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out from its checkpoint (same config; steps may grow)" };
        var print = new Option<bool>("--print-config") { Description = "Print the resolved config as YAML and exit" };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("dynamics",
            "Train an HNN, dissipative HNN, LNN or baseline MLP on trajectories; writes checkpoint.safetensors (exact resume), " +
            "model.safetensors (PyTorch names), config.yaml, metrics.jsonl and loss.png into --out. A non-finite loss exits with 4.")
        {
            model, data, config, output, resume, print, device,
        };
        command.SetAction(parse =>
        {
            var settings = parse.GetValue(config) is { } path ? DynamicsConfig.Load(path) : new DynamicsConfig();
            if (parse.GetValue(model) is { } m) settings.Model = m;
            settings.Validate(parse.GetValue(config) ?? "config");
            if (parse.GetValue(print))
            {
                Console.Write(settings.ToYaml());
                return 0;
            }
            var dataDir = parse.GetValue(data) ?? throw new UserError("--data is required (a folder of trajectories)");
            var outDir = parse.GetValue(output)!;
            OutputTarget.CheckFolder("--out", outDir, [dataDir, parse.GetValue(config)]);
            var set = TrajectorySet.Load(dataDir);
            var split = DynamicsTrainer.SplitFor(set, settings);
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            using var trainer = new DynamicsTrainer(dev, settings, split, set.Degrees, outDir);
            Console.Error.WriteLine($"train dynamics: {settings.Model} (hidden {settings.Hidden}, d = {set.Degrees}) on {set.Trajectories} trajectories × {set.Steps} " +
                                    $"(train {split.TrainCount} samples, test {split.TestCount}); derivatives: {set.DerivativeSource}" +
                                    $"{(split.Canonical ? "; in canonical momenta p = M(q)·v" : "")}{(split.TimeInput ? "; time as an input" : "")}; {dev}");
            try
            {
                Progress.Run($"train {settings.Model}", settings.Steps, p =>
                {
                    trainer.Run(parse.GetValue(resume), p);
                    return 0;
                });
            }
            finally { LossChart.Write(Path.Combine(outDir, "loss.png"), trainer.Metrics); }
            var last = trainer.Metrics[^1];
            Console.WriteLine($"step {last.Step}: train loss {last.TrainLoss:e3}{(last.TestLoss is { } t ? $", test loss {t:e3}" : "")}; wrote {outDir}/");
            return 0;
        });
        return command;
    }
}
