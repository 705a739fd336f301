using System.Diagnostics;
using WeJepa.Learning.Models;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Transformer;

/// <summary>
/// Not a test (Explicit, asserts nothing about time): prints the median time of one TransformerEncoderLayer
/// forward + backward at the bench shape (64 images × 64 tokens, D = 384, 6 heads) on the CPU host path,
/// and a per-op breakdown. Run: dotnet test … --filter LayerTimingHarness.
/// For the ratio against PyTorch in the same run use `wejepa bench engine` (tools/reference/torch_engine_bench.py).
/// </summary>
[Explicit("timing harness")]
public class LayerTimingHarness
{
    [Test]
    public void TransformerLayerForwardBackward()
    {
        var device = TestDevices.Cpu;
        const int B = 64, N = 64, D = 384, H = 6;
        var layer = new TransformerEncoderLayer(D, H);
        using var store = ParameterStore.Create(device, layer.Parameters, seed: 1);
        var x = Tensor.FromArray(device, Rand.Floats(B * N * D, -1, 1, 1).Select(v => (float)v).ToArray(), B, N, D);
        var target = Tensor.FromArray(device, Rand.Floats(B * N * D, -1, 1, 2).Select(v => (float)v).ToArray(), B, N, D);
        var times = new List<double>();
        var forward = new List<double>();
        device.Counters.Reset();
        for (int i = 0; i < 13; i++)
        {
            using var scope = new StepScope(device);
            var sw = Stopwatch.StartNew();
            store.ZeroGrad();
            var loss = Learning.Ops.MseLoss(layer.Forward(store, x), target);
            device.Synchronize();
            double f = sw.Elapsed.TotalMilliseconds;
            Autograd.Backward(loss);
            device.Synchronize();
            if (i == 2) device.Counters.Reset();
            if (i >= 3) { times.Add(sw.Elapsed.TotalMilliseconds); forward.Add(f); }
        }
        times.Sort();
        forward.Sort();
        TestContext.Out.WriteLine($"layer fwd+bwd (B={B}, N={N}, D={D}, H={H}): median {times[times.Count / 2]:F1} ms (forward {forward[forward.Count / 2]:F1} ms), min {times[0]:F1} ms");
        TestContext.Out.WriteLine($"  per step: {device.Counters.Calls / times.Count} GEMMs, {device.Counters.Time.TotalMilliseconds / times.Count:F1} ms summed over GEMM calls");

        // per-op breakdown (forward and backward of each op alone, median of 7)
        var h = Tensor.FromArray(device, Rand.Floats(B * N * D, -1, 1, 3).Select(v => (float)v).ToArray(), B, N, D);
        var big = Tensor.FromArray(device, Rand.Floats(B * N * 4 * D, -2, 2, 4).Select(v => (float)v).ToArray(), B, N, 4 * D);
        var qkv = Tensor.FromArray(device, Rand.Floats(B * N * 3 * D, -1, 1, 5).Select(v => (float)v).ToArray(), B, N, 3 * D);
        Report("layernorm", h, t => Learning.Ops.LayerNorm(t, store["norm1.weight"], store["norm1.bias"]));
        Report("gelu", big, t => Learning.Ops.Gelu(t));
        Report("attention", qkv, t => Learning.Ops.MultiHeadAttention(t, H));
        Report("linear in_proj", h, t => Learning.Ops.Linear(t, store["self_attn.in_proj_weight"], store["self_attn.in_proj_bias"]));
        Report("linear linear1", h, t => Learning.Ops.Linear(t, store["linear1.weight"], store["linear1.bias"]));
        Report("linear linear2", big, t => Learning.Ops.Linear(t, store["linear2.weight"], store["linear2.bias"]));
        Report("add", h, t => Learning.Ops.Add(t, h));
        var c = Tensor.Empty(device, B * N, 3 * D);
        var gemm = new List<double>();
        for (int i = 0; i < 9; i++)
        {
            var sw = Stopwatch.StartNew();
            device.Gemm(false, true, B * N, 3 * D, D, 1f, h.View, D, store["self_attn.in_proj_weight"].View, D, 0f, c.View, 3 * D);
            device.Synchronize();
            gemm.Add(sw.Elapsed.TotalMilliseconds);
        }
        gemm.Sort();
        TestContext.Out.WriteLine($"  raw sgemm {B * N}x{3 * D}x{D}: {gemm[4]:F2} ms = {2.0 * B * N * 3 * D * D / gemm[4] / 1e6:F1} GFLOP/s");
    }

    static void Report(string name, Tensor input, Func<Tensor, Tensor> op)
    {
        var device = input.Device;
        var fwd = new List<double>();
        var bwd = new List<double>();
        for (int i = 0; i < 9; i++)
        {
            using var scope = new StepScope(device);
            var x = input.Detach();
            x.RequiresGrad = true;
            var sw = Stopwatch.StartNew();
            var y = op(x);
            device.Synchronize();
            var t1 = sw.Elapsed.TotalMilliseconds;
            var g = Autograd.Grad(y, x, y.Detach());
            device.Synchronize();
            if (i >= 2) { fwd.Add(t1); bwd.Add(sw.Elapsed.TotalMilliseconds - t1); }
        }
        fwd.Sort(); bwd.Sort();
        TestContext.Out.WriteLine($"  {name,-16} forward {fwd[fwd.Count / 2],7:F2} ms   backward {bwd[bwd.Count / 2],7:F2} ms");
    }
}
