using System.CommandLine;
using Spectre.Console;
using WeJepa.App.Terminal;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa bench jepa</c>: one training step of the seed's default V-JEPA and of I-JEPA at the same encoder size
/// (<see cref="BenchJepaWorkloads"/>), timed here and in PyTorch (tools/reference/torch_jepa_bench.py --serve) under
/// each <see cref="PyTorchSetting"/>, alternating run for run (<see cref="BenchEngineTiming"/>); images/s, the ratio to
/// PyTorch's strongest setting, and where our time goes (GEMM per backend vs the rest).
/// </summary>
public sealed class BenchJepaCommand : IBenchCommand
{
    public const string Script = "tools/reference/torch_jepa_bench.py";

    public Command Build()
    {
        var timing = new BenchTimingOptions("Timed steps per model (median reported)", 3, "Untimed steps first", 1, "CPU GEMM backend: auto | openblas | onednn");
        var command = new Command("jepa",
            "Time one training step (forward, backward, AdamW, EMA) of the seed's default V-JEPA (B 64, 3×64×64, patch 8, D 384, depth 6, " +
            "heads 6, predictor hidden 192, ReLU, dropout 0) and of I-JEPA at the same encoder size (predictor D 192, depth 3) against the same " +
            "models in PyTorch in its strongest setting here, in the same run; prints images/s, ratios (target ≤ 0.5× PyTorch's time) and " +
            "where our time goes");
        timing.AddTo(command);
        command.SetAction(parse =>
        {
            var (r, w, withPyTorch) = timing.Resolve(parse);
            using var dev = timing.Open(parse);
            var vjepa = BenchJepaWorkloads.Vjepa(dev);
            using var ijepa = BenchJepaWorkloads.Ijepa(dev, out var masks);
            var counts = $"{masks.ContextCount},{masks.TargetBlocks},{masks.TargetCount}";
            var settings = !withPyTorch ? [] : dev.IsCuda ? [PyTorchSetting.AsInstalled] : PyTorchSetting.Available();
            var references = settings.Select(s => new BenchEngineReference(Environment.ProcessorCount, dev.IsCuda, s, Script, ["--ijepa-masks", counts])).ToList();
            try
            {
                BenchEngineTiming Measure(BenchEngineWorkload ours) => BenchEngineTiming.Measure([new BenchEngineOurs(dev.BlasName, dev, ours)],
                    references.Select(x => new BenchEnginePeer(x, ours.Name, x.Setting.Name)).ToList(), r, w);
                var (v, i) = (Measure(vjepa), Measure(ijepa));
                Report(dev, [("V-JEPA (seed)", v), ("I-JEPA", i)], masks.ContextCount, $"{masks.TargetBlocks}×{masks.TargetCount}", r, w, references);
            }
            finally
            {
                vjepa.Dispose();
                foreach (var reference in references) reference.Dispose();
            }
            return 0;
        });
        return command;
    }

    static void Report(Learning.Devices.Device dev, (string Name, BenchEngineTiming Timing)[] rows, int context, string targets, int r, int w,
        IReadOnlyList<BenchEngineReference> references)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("step").AddColumn("ours").AddColumn("img/s").AddColumn("PyTorch")
            .AddColumn("img/s").AddColumn("ratio").AddColumn("setting").AddColumn("installed");
        string Ms(double? ms) => ms is { } v ? $"{v:F0} ms" : "-";
        string Rate(double? ms) => ms is { } v ? $"{BenchJepaWorkloads.Batch * 1000 / v:F0}" : "-";
        string Key(string? label) => label is null ? "-" : $"{references.Select(x => x.Setting.Name).ToList().IndexOf(label) + 1}";
        foreach (var (name, t) in rows)
            table.AddRow(name, Ms(t.Ours[0].MedianMs), Rate(t.Ours[0].MedianMs), Ms(t.Strongest?.MedianMs), Rate(t.Strongest?.MedianMs),
                t.Ratio(t.Ours[0]) is { } x ? $"{x:F2}x" : "-", Key(t.Strongest?.Label), Ms(t.AsInstalled?.MedianMs));
        Consoles.Out.Write(table);
        Console.WriteLine($"B {BenchJepaWorkloads.Batch}, 3x{BenchJepaWorkloads.Image}x{BenchJepaWorkloads.Image}, patch {BenchJepaWorkloads.Patch}, " +
                          $"D {BenchJepaWorkloads.Dim}, depth {BenchJepaWorkloads.Depth}, heads {BenchJepaWorkloads.Heads}; V-JEPA predictor hidden {BenchJepaWorkloads.VjepaHidden}, " +
                          $"ReLU, dropout 0; I-JEPA predictor D {BenchJepaWorkloads.PredictorDim} depth {BenchJepaWorkloads.PredictorDepth}, " +
                          $"{context} context tokens, {targets} target tokens, smooth-L1, EMA 0.996; AdamW lr 1e-3 wd 0.1");
        Console.WriteLine("ratio = our time / the time of PyTorch's strongest setting (lower is faster; target <= 0.50x); installed: PyTorch as installed");
        foreach (var (name, t) in rows) Console.WriteLine($"where our time goes, {name}: {t.Ours[0].GemmShare}");
        Console.WriteLine($"device {dev}; BLAS {dev.BlasName}; medians of {r} steps after {w} warm-up" +
                          (references.Count > 0 ? ", ours alternating step for step with PyTorch's" : " (no PyTorch reference)"));
        for (int k = 0; k < references.Count; k++)
            Console.WriteLine($"PyTorch setting {k + 1} '{references[k].Setting.Name}': {references[k].Description}");
    }
}
