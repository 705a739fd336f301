using System.CommandLine;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Training.Distributed;
using WeJepa.Training.Jepa;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa train jepa --config PRESET|FILE [--set k=v]… [--steps N] [--out DIR] [--resume] [--print-config [yaml|json]]</c>:
/// pretrains an I-JEPA, the V-JEPA baseline or a video JEPA (<c>model.kind</c>) and keeps checkpoints, model.safetensors,
/// metrics.jsonl and charts in the run folder (see <see cref="JepaTrainer"/>).
/// </summary>
public sealed class TrainJepaCommand : ITrainCommand
{
    public Command Build()
    {
        var config = new Option<string>("--config") { Description = $"A preset ({string.Join(", ", JepaPresets.Names)}; +conv for the conv tokenizer) or a .yaml/.json file", DefaultValueFactory = _ => JepaPresets.Default };
        var set = new Option<string[]>("--set") { Description = "section.key=value override (repeatable), e.g. --set optimizer.lr=5e-4", AllowMultipleArgumentsPerToken = false };
        var steps = new Option<long?>("--steps") { Description = "Stop after this step (the schedules still span optimizer.steps); resume later with --resume" };
        var output = new Option<string?>("--out") { Description = "Run folder (default: hardware.output_dir)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in the folder from its checkpoint, exactly (same config)" };
        var print = new Option<string?>("--print-config") { Description = "Print the resolved config (yaml or json) and exit", Arity = ArgumentArity.ZeroOrOne };
        var device = new Option<string?>("--device") { Description = "auto | cpu | cuda (overrides hardware.device)" };
        var command = new Command("jepa",
            "Pretrain a JEPA (model.kind ijepa | vjepa | video-jepa) on fake frames, a generate dataset or a live scene; writes checkpoint.safetensors " +
            "(exact resume), model.safetensors (PyTorch names), config.yaml, metrics.jsonl and charts into the run folder. A non-finite loss exits with 4.")
        {
            config, set, steps, output, resume, print, device,
        };
        command.SetAction(parse =>
        {
            var assignments = (parse.GetValue(set) ?? []).ToList();
            if (parse.GetValue(output) is { } o) assignments.Add($"hardware.output_dir={o}");
            if (parse.GetValue(device) is { } d) assignments.Add($"hardware.device={d}");
            var settings = JepaConfig.Resolve(parse.GetValue(config), assignments);
            if (parse.GetResult(print) is not null)
            {
                var format = parse.GetValue(print) ?? "yaml";
                if (format is not ("yaml" or "json")) throw new UserError($"--print-config {format}: expected yaml or json");
                Console.Write(format == "json" ? settings.ToJson() : settings.ToYaml());
                return 0;
            }
            if (parse.GetValue(steps) is < 1) throw new UserError($"--steps {parse.GetValue(steps)}: must be >= 1");
            var outDir = settings.Hardware.OutputDir;
            OutputTarget.CheckFolder("--out", outDir, new[] { settings.Data.Path, settings.Data.Scene, parse.GetValue(config) }.Where(p => !string.IsNullOrEmpty(p)));
            using var dev = DeviceOption.Open(settings.Hardware.Device);
            using var reducer = GradientReducers.ForThisProcess();   // an Open MPI rank under mpirun, else the one process
            using var trainer = new JepaTrainer(dev, settings, outDir, reducer);
            long end = Math.Min(parse.GetValue(steps) ?? settings.Optimizer.Steps, settings.Optimizer.Steps);
            var m = settings.Model;
            Console.Error.WriteLine($"train jepa: {m.Kind} ({m.ImageSize}×{m.ImageSize}, patch {m.PatchSize}, {m.Tokenizer}, D {m.EmbedDim}, depth {m.Depth}, heads {m.Heads}; " +
                                    $"predictor {m.PredictorDim}×{m.PredictorDepth}; {trainer.Model.ParameterCount:N0} trained parameters) on {settings.Data.Source} data, " +
                                    $"batch {settings.Data.BatchSize}×{settings.FramesPerSample} frames; {dev}");
            JepaProgress last = default;
            try
            {
                Progress.Run($"train {m.Kind}", end, p =>
                {
                    trainer.Run(parse.GetValue(resume), end, new Reporter(r => { last = r; p.Report(r.Step); }));
                    return 0;
                }, () => $"loss {last.Loss:G4} lr {last.Lr:G3} m {last.Momentum:F4} {last.ImagesPerSecond:F0} img/s");
            }
            finally
            {
                if (reducer.Rank == 0 && Directory.Exists(outDir)) JepaCharts.Write(outDir, Path.Combine(outDir, WeJepa.Training.Runs.MetricsLog.FileName));
            }
            var final = trainer.Metrics.Count > 0 ? trainer.Metrics[^1] : null;
            Console.WriteLine(final is null
                ? $"step {trainer.Step}: nothing left to train; {outDir}/ unchanged"
                : $"step {final.Step}: loss {final.Loss:e3}{(final.ValidationLoss is { } v ? $", validation loss {v:e3}" : "")}, teacher feature std {final.StdTeacher:G3}, " +
                  $"effective rank {final.RankTeacher:F1}; {trainer.ImagesPerSecond:F1} images/s (data feeding included); wrote {outDir}/");
            return 0;
        });
        return command;
    }

    sealed class Reporter(Action<JepaProgress> report) : IProgress<JepaProgress>
    {
        public void Report(JepaProgress value) => report(value);
    }
}
