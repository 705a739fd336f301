using System.CommandLine;
using Spectre.Console;
using WeJepa.Learning.Devices;
using W = WeJepa.App.Commands.BenchEngineWorkloads;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa bench engine</c>: sgemm 4096×384×384, one transformer layer forward + backward (64×64 tokens,
/// D 384, 6 heads) and one HNN training step at batch 4096 (second-order pass), timed here and in PyTorch
/// (tools/reference/torch_engine_bench.py) in the same run, each workload right after PyTorch's; medians and
/// ratios ours/PyTorch, and the share of our time spent in BLAS GEMMs.
/// </summary>
public sealed class BenchEngineCommand : IBenchCommand
{
    public Command Build()
    {
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per workload (median reported)", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed runs first", DefaultValueFactory = _ => 2 };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceKinds.Names);
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
            using var dev = Device.Create(DeviceKinds.Parse(parse.GetValue(device)!));
            var reference = parse.GetValue(noReference) ? null : new BenchEngineReference(r, w, Environment.ProcessorCount, dev.IsCuda);
            // Each workload: PyTorch, then ours, back to back.
            double? Torch(string workload, string field) => reference is null ? null : reference.Field(reference.Run(workload), field);
            double? torchGemm = Torch("sgemm", "sgemm_ms");
            var gemm = W.Sgemm(dev, r, w);
            double? torchLayer = Torch("layer", "layer_ms");
            var layer = W.Layer(dev, r, w);
            double? torchHnn = Torch("hnn", "hnn_step_ms");
            var hnn = W.HnnStep(dev, r, w);

            var table = new Table().Border(TableBorder.Rounded).AddColumn("workload").AddColumn("ours").AddColumn("PyTorch")
                .AddColumn("ratio").AddColumn("target");
            string Ms(double? ms) => ms is { } v ? $"{v:F1} ms" : "-";
            string Ratio(double ours, double? torch) => torch is { } t ? $"{ours / t:F2}x" : "-";
            table.AddRow("sgemm 4096x384x384", Ms(gemm.MedianMs), Ms(torchGemm), Ratio(gemm.MedianMs, torchGemm), "");
            table.AddRow("  GFLOP/s", $"{W.GFlops(gemm.MedianMs):F0}", torchGemm is { } tg ? $"{W.GFlops(tg):F0}" : "-",
                torchGemm is { } t2 ? $"{t2 / gemm.MedianMs:F2}x" : "-", "");
            table.AddRow("layer fwd+bwd", Ms(layer.MedianMs), Ms(torchLayer), Ratio(layer.MedianMs, torchLayer), "<= 1.00x");
            table.AddRow("HNN train step", Ms(hnn.MedianMs), Ms(torchHnn), Ratio(hnn.MedianMs, torchHnn), "<= 0.50x");
            AnsiConsole.Write(table);
            Console.WriteLine($"where our time goes: layer {layer.GemmShare}; HNN step {hnn.GemmShare}");
            Console.WriteLine("ratio = our time / PyTorch's time (lower is faster; the GFLOP/s row: ours / PyTorch's, higher is faster); layer: 64x64 tokens, D 384, 6 heads; HNN: batch 4096, AdamW");
            Console.WriteLine($"device {dev}; medians of {r} runs after {w} warm-up" +
                (reference is null ? "" : "; " + reference.Description));
            return 0;
        });
        return command;
    }
}
