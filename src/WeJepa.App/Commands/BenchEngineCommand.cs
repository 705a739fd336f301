using System.CommandLine;
using Spectre.Console;
using WeJepa.App.Terminal;
using WeJepa.Learning.Devices;
using W = WeJepa.App.Commands.BenchEngineWorkload;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa bench engine</c>: sgemm 4096×384×384 on each BLAS backend, one transformer layer forward + backward
/// (64×64 tokens, D 384, 6 heads) and one HNN training step at batch 4096 (second-order pass), timed here and in
/// PyTorch (tools/reference/torch_engine_bench.py --serve) under each <see cref="PyTorchSetting"/> in the same run,
/// alternating run for run; medians, ratios ours / PyTorch's strongest setting (named), PyTorch as installed beside
/// it, and where our time goes (GEMM per backend vs the rest).
/// </summary>
public sealed class BenchEngineCommand : IBenchCommand
{
    public static readonly string[] BlasNames = ["auto", "openblas", "onednn"];

    public Command Build()
    {
        var timing = new BenchTimingOptions("Timed runs per workload (median reported)", 10, "Untimed runs first (JIT tiering, BLAS thread start-up)", 5,
            "CPU GEMM backend for the layer and HNN rows: auto (oneDNN for large products, OpenBLAS for small) | openblas | onednn");
        var command = new Command("engine",
            "Time sgemm 4096×384×384 per BLAS backend, a transformer layer fwd+bwd (64×64 tokens, D 384, 6 heads) and an HNN train step (batch 4096) " +
            "against PyTorch in its strongest setting here, in the same run; prints medians and ratios (targets: oneDNN sgemm ≥ 350 GFLOP/s, " +
            "layer ≤ 0.5×, HNN ≤ 0.5× PyTorch's time)");
        timing.AddTo(command);
        command.SetAction(parse =>
        {
            var (r, w, withPyTorch) = timing.Resolve(parse);
            using var dev = timing.Open(parse);
            // the sgemm rows: one CPU device per backend present (CUDA: its own cuBLAS)
            var gemmDevices = dev.IsCuda ? [dev] : new[] { BlasBackend.OpenBlas, BlasBackend.OneDnn }
                .Where(b => b != BlasBackend.OneDnn || Native.Dnnl.Dnnl.IsAvailable())
                .Select(b => dev.Blas == b ? dev : Device.Create(new DeviceOptions(DeviceKind.Cpu, b))).ToList();
            var settings = !withPyTorch ? [] : dev.IsCuda ? [PyTorchSetting.AsInstalled] : PyTorchSetting.Available();
            var references = settings.Select(s => new BenchEngineReference(Environment.ProcessorCount, dev.IsCuda, s)).ToList();
            try
            {
                BenchEngineTiming Measure(IEnumerable<(string Label, Device Device)> ours, Func<Device, W> create, string[] torchWorkloads)
                {
                    var workloads = ours.Select(o => new BenchEngineOurs(o.Label, o.Device, create(o.Device))).ToList();
                    try
                    {
                        var peers = (from reference in references
                                     from name in torchWorkloads
                                     select new BenchEnginePeer(reference, name, torchWorkloads.Length == 1 ? reference.Setting.Name
                                         : $"{reference.Setting.Name}, {(name == "sgemm" ? "torch.mm" : "oneDNN")}")).ToList();
                        return BenchEngineTiming.Measure(workloads, peers, r, w);
                    }
                    finally
                    {
                        for (int i = workloads.Count - 1; i >= 0; i--) workloads[i].Workload.Dispose(); // scopes close innermost first
                    }
                }
                var gemm = Measure(gemmDevices.Select(d => (d.IsCuda ? "cuBLAS" : d.Blas == BlasBackend.OneDnn ? "oneDNN" : "OpenBLAS", d)), W.Sgemm,
                    dev.IsCuda ? ["sgemm"] : ["sgemm", "sgemm_onednn"]);
                var layer = Measure([(dev.BlasName, dev)], W.Layer, ["layer"]);
                var hnn = Measure([(dev.BlasName, dev)], W.HnnStep, ["hnn"]);
                Report(dev, gemm, layer, hnn, r, w, references);
            }
            finally
            {
                foreach (var reference in references) reference.Dispose();
                foreach (var d in gemmDevices.Where(d => d != dev)) d.Dispose();
            }
            return 0;
        });
        return command;
    }

    /// <summary>The typed BLAS choice the engine takes (the values are checked by the option first).</summary>
    public static BlasBackend ParseBlas(string text) => text switch
    {
        "openblas" => BlasBackend.OpenBlas,
        "onednn" => BlasBackend.OneDnn,
        _ => BlasBackend.Auto,
    };

    static void Report(Device dev, BenchEngineTiming gemm, BenchEngineTiming layer, BenchEngineTiming hnn, int r, int w,
        IReadOnlyList<BenchEngineReference> references)
    {
        // narrow enough for an 80-column terminal: the settings are numbered, their legend follows the table
        var table = new Table().Border(TableBorder.Rounded).AddColumn("workload").AddColumn("ours").AddColumn("PyTorch")
            .AddColumn("ratio").AddColumn("setting").AddColumn("installed");
        string Ms(double? ms) => ms is { } v ? $"{v:F1} ms" : "-";
        string Ratio(double? ratio) => ratio is { } v ? $"{v:F2}x" : "-";
        string GFlops(double? ms) => ms is { } v ? $"{W.GemmGFlops(v):F0}" : "-";
        string Key(string? label) => label is null ? "-"
            : $"{references.Select(x => x.Setting.Name).ToList().FindIndex(label.StartsWith) + 1}{(label.EndsWith("oneDNN") ? " dnnl" : label.EndsWith("torch.mm") ? " mm" : "")}";
        foreach (var ours in gemm.Ours)
        {
            double? PerProduct(double? runMs) => runMs / W.GemmBurst;
            table.AddRow($"sgemm {ours.Label}", Ms(PerProduct(ours.MedianMs)), Ms(PerProduct(gemm.Strongest?.MedianMs)), Ratio(gemm.Ratio(ours)), Key(gemm.Strongest?.Label),
                Ms(PerProduct(gemm.AsInstalled?.MedianMs)));
            table.AddRow("  GFLOP/s", GFlops(PerProduct(ours.MedianMs)), GFlops(PerProduct(gemm.Strongest?.MedianMs)), "", "", GFlops(PerProduct(gemm.AsInstalled?.MedianMs)));
        }
        foreach (var (name, timing) in new[] { ("layer fwd+bwd", layer), ("HNN train step", hnn) })
            table.AddRow(name, Ms(timing.Ours[0].MedianMs), Ms(timing.Strongest?.MedianMs), Ratio(timing.Ratio(timing.Ours[0])),
                Key(timing.Strongest?.Label), Ms(timing.AsInstalled?.MedianMs));
        Consoles.Out.Write(table);
        Console.WriteLine($"sgemm: 4096x384x384, per product in runs of {W.GemmBurst} back to back (both sides); layer: 64x64 tokens, D 384, 6 heads; HNN: batch 4096, second order, AdamW");
        Console.WriteLine("ratio = our time / the time of PyTorch's strongest setting (lower is faster); installed: PyTorch as installed (torch.mm for sgemm)");
        Console.WriteLine("targets: oneDNN sgemm >= 350 GFLOP/s; layer <= 0.50x; HNN step <= 0.50x");
        Console.WriteLine($"where our time goes: layer {layer.Ours[0].GemmShare}; HNN step {hnn.Ours[0].GemmShare}");
        Console.WriteLine($"device {dev}; BLAS {dev.BlasName}; medians of {r} runs after {w} warm-up, ours alternating run for run with PyTorch's");
        for (int k = 0; k < references.Count; k++)
            Console.WriteLine($"PyTorch setting {k + 1} '{references[k].Setting.Name}' (mm: torch.mm, dnnl: its oneDNN path): {references[k].Description}");
    }
}
