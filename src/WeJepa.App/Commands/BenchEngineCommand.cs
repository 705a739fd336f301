using System.CommandLine;
using Spectre.Console;
using WeJepa.App.Terminal;
using WeJepa.Learning.Devices;
using W = WeJepa.App.Commands.BenchEngineWorkload;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa bench engine</c>: sgemm 4096×384×384, one transformer layer forward + backward (64×64 tokens,
/// D 384, 6 heads) and one HNN training step at batch 4096 (second-order pass), timed here and in PyTorch
/// (tools/reference/torch_engine_bench.py --serve) in the same run, alternating run for run; medians and
/// ratios ours/PyTorch, and the share of our time spent in BLAS GEMMs.
/// </summary>
public sealed class BenchEngineCommand : IBenchCommand
{
    public Command Build()
    {
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per workload (median reported)", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first (JIT tiering, BLAS thread start-up)", DefaultValueFactory = _ => 5 };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var noReference = new Option<bool>("--no-reference") { Description = "Skip PyTorch (report our timings only)" };
        var command = new Command("engine",
            "Time sgemm 4096×384×384, a transformer layer fwd+bwd (64×64 tokens, D 384, 6 heads) and an HNN train step (batch 4096) " +
            "against PyTorch + OpenBLAS in the same run; prints medians and ratios (targets: layer ≤ 1.0×, HNN ≤ 0.5× PyTorch's time)")
        {
            repeats, warmup, device, noReference,
        };
        command.SetAction(parse =>
        {
            int r = parse.GetValue(repeats), w = parse.GetValue(warmup);
            if (r < 1 || w < 0) throw new Core.Errors.UserError($"--repeats must be >= 1 and --warmup >= 0 (got {r}, {w})");
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            using var reference = parse.GetValue(noReference) ? null : new BenchEngineReference(Environment.ProcessorCount, dev.IsCuda);
            BenchEngineTiming Measure(Func<Device, BenchEngineWorkload> create)
            {
                using var workload = create(dev);
                return BenchEngineTiming.Measure(dev, workload, reference, r, w);
            }
            var (gemm, layer, hnn) = (Measure(BenchEngineWorkload.Sgemm), Measure(BenchEngineWorkload.Layer), Measure(BenchEngineWorkload.HnnStep));

            var table = new Table().Border(TableBorder.Rounded).AddColumn("workload").AddColumn("ours").AddColumn("PyTorch")
                .AddColumn("ratio").AddColumn("target");
            string Ms(double? ms) => ms is { } v ? $"{v:F1} ms" : "-";
            string Ratio(double? ratio) => ratio is { } v ? $"{v:F2}x" : "-";
            table.AddRow("sgemm 4096x384x384", Ms(gemm.MedianMs), Ms(gemm.TorchMedianMs), Ratio(gemm.Ratio), "");
            table.AddRow("  GFLOP/s", $"{W.GemmGFlops(gemm.MedianMs):F0}", gemm.TorchMedianMs is { } tg ? $"{W.GemmGFlops(tg):F0}" : "-",
                Ratio(1 / gemm.Ratio), "");
            table.AddRow("layer fwd+bwd", Ms(layer.MedianMs), Ms(layer.TorchMedianMs), Ratio(layer.Ratio), "<= 1.00x");
            table.AddRow("HNN train step", Ms(hnn.MedianMs), Ms(hnn.TorchMedianMs), Ratio(hnn.Ratio), "<= 0.50x");
            Consoles.Out.Write(table);
            Console.WriteLine($"where our time goes: layer {layer.GemmShare}; HNN step {hnn.GemmShare}");
            Console.WriteLine("ratio = our time / PyTorch's time (lower is faster; the GFLOP/s row: ours / PyTorch's, higher is faster); layer: 64x64 tokens, D 384, 6 heads; HNN: batch 4096, AdamW");
            Console.WriteLine($"device {dev}; medians of {r} runs after {w} warm-up, ours alternating run for run with PyTorch's" +
                (reference is null ? "" : "; " + reference.Description));
            return 0;
        });
        return command;
    }
}
