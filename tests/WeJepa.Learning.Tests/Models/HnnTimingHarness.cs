using System.Diagnostics;
using WeJepa.Learning.Models;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

/// <summary>
/// Not a test (Explicit, asserts nothing about time): the HNN training step of `wejepa bench engine` (batch 4096,
/// hidden 256, AdamW) timed on the CPU host path with the fused input gradient and with the generic double backward,
/// alternating run for run so both see the same machine load; prints medians and the GEMM share.
/// Run: dotnet test … --filter HnnTimingHarness.
/// </summary>
[Explicit("timing harness")]
public class HnnTimingHarness
{
    [Test]
    public void FusedAgainstGenericSecondOrderStep()
    {
        var device = TestDevices.Cpu;
        const int B = 4096;
        using var hnn = new Hnn(device, 256, seed: 1);
        using var adamW = new AdamW(hnn.Parameters);
        var states = Rand.Floats(2 * B, -2, 2, 4).Select(v => (float)v).ToArray();
        var target = new float[2 * B];
        for (int i = 0; i < B; i++) (target[2 * i], target[2 * i + 1]) = (states[2 * i + 1], -MathF.Sin(states[2 * i]));
        using var inputs = new StepScope(device);
        var x = Tensor.FromArray(device, states, B, 2);
        var dxdt = Tensor.FromArray(device, target, B, 2);
        Tensor Generic()
        {
            var field = Mechanics.HamiltonianField(hnn.F2, x, createGraph: true);
            var e = Learning.Ops.Sub(field, dxdt);
            return Learning.Ops.Mean(Learning.Ops.Mul(e, e));
        }
        var (fused, generic, fusedGemm, genericGemm) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        double Step(Func<Tensor> loss, List<double> gemm)
        {
            Thread.Sleep(100);
            device.Counters.Reset();
            var sw = Stopwatch.StartNew();
            using (new StepScope(device))
            {
                hnn.Parameters.ZeroGrad();
                Autograd.Backward(loss());
                adamW.Step(1e-3, 0.0);
            }
            device.Synchronize();
            gemm.Add(device.Counters.Time.TotalMilliseconds);
            return sw.Elapsed.TotalMilliseconds;
        }
        for (int i = 0; i < 25; i++)
        {
            double f = Step(() => hnn.Loss(x, dxdt), fusedGemm), g = Step(Generic, genericGemm);
            if (i >= 4) { fused.Add(f); generic.Add(g); }
        }
        static double Median(List<double> v) => v.Order().ElementAt(v.Count / 2);
        TestContext.Out.WriteLine($"HNN step B={B}: fused {Median(fused):F1} ms (GEMM {Median(fusedGemm):F1} ms), " +
                                  $"generic {Median(generic):F1} ms (GEMM {Median(genericGemm):F1} ms), fused/generic {Median(fused) / Median(generic):F2}");
    
    }

    /// <summary>The fused step split into zero-grad, forward (loss), backward, AdamW (medians of 21).</summary>
    [Test]
    public void FusedStepPhases()
    {
        var device = TestDevices.Cpu;
        const int B = 4096;
        using var hnn = new Hnn(device, 256, seed: 1);
        using var adamW = new AdamW(hnn.Parameters);
        var states = Rand.Floats(2 * B, -2, 2, 4).Select(v => (float)v).ToArray();
        using var inputs = new StepScope(device);
        var x = Tensor.FromArray(device, states, B, 2);
        var dxdt = Tensor.FromArray(device, states, B, 2);
        var phases = new List<double>[7];
        for (int k = 0; k < 7; k++) phases[k] = new();
        for (int i = 0; i < 30; i++)
        {
            Thread.Sleep(50);
            using var scope = new StepScope(device);
            var sw = Stopwatch.StartNew();
            hnn.Parameters.ZeroGrad();
            double t0 = sw.Elapsed.TotalMilliseconds;
            device.Counters.Reset();
            var gradH = hnn.Net.InputGradient(hnn.Parameters, x, 1);
            double tg = sw.Elapsed.TotalMilliseconds - t0 - device.Counters.Time.TotalMilliseconds;
            var e = Learning.Ops.Sub(Mechanics.HamiltonianField(gradH), dxdt);
            var loss = Learning.Ops.Mean(Learning.Ops.Mul(e, e));
            double t1 = sw.Elapsed.TotalMilliseconds, g1 = device.Counters.Time.TotalMilliseconds;
            var upstream = Autograd.Grad([loss], [gradH])[0]!;
            double tu = sw.Elapsed.TotalMilliseconds - t1;
            Autograd.Backward(gradH, upstream);
            double t2 = sw.Elapsed.TotalMilliseconds, g2 = device.Counters.Time.TotalMilliseconds - g1;
            adamW.Step(1e-3, 0.0);
            device.Synchronize();
            double t3 = sw.Elapsed.TotalMilliseconds;
            if (i < 9) continue;
            phases[0].Add(t0); phases[1].Add(t1 - t0 - g1); phases[2].Add(t2 - t1 - g2); phases[3].Add(t3 - t2); phases[4].Add(g1 + g2); phases[5].Add(tg); phases[6].Add(tu);
        }
        string[] names = ["zero-grad", "forward excl. GEMM", "backward excl. GEMM", "AdamW", "GEMM", "fused op forward excl. GEMM", "backward of the loss down to the input gradient"];
        for (int k = 0; k < 7; k++) TestContext.Out.WriteLine($"  {names[k]}: {phases[k].Order().ElementAt(phases[k].Count / 2):F2} ms");
    }

    /// <summary>Each stage of the fused op's host path alone (median of 15), to see where the non-GEMM time goes.</summary>
    [Test]
    public unsafe void FusedStageBreakdown()
    {
        var device = TestDevices.Cpu;
        const int B = 4096, H = 256, I = 2;
        using var scope = new StepScope(device);
        Tensor R(int seed, params int[] shape) => Tensor.FromArray(device, Rand.Floats(shape.Aggregate(1, (a, b) => a * b), -1, 1, seed).Select(v => (float)v).ToArray(), shape);
        var (x, w0, b0, w1, b1, w2, u) = (R(1, B, I), R(2, H, I), R(3, H), R(4, H, H), R(5, H), R(6, 2, H), R(7, B, I));
        var (h1, h2, dz2, dh1, gx) = (R(8, B, H), R(9, B, H), R(10, B, H), R(11, B, H), R(12, B, I));
        var (ddh1, e1, a2, dw0, db0, db1, dv) = (R(13, B, H), R(14, B, H), R(15, B, H), R(16, H, I), R(17, H), R(18, H), R(19, H));
        float* P(Tensor t) => device.HostPointer(t.View);
        void Time(string what, Action a)
        {
            var t = new List<double>();
            for (int i = 0; i < 15; i++) { var sw = Stopwatch.StartNew(); a(); t.Add(sw.Elapsed.TotalMilliseconds); }
            TestContext.Out.WriteLine($"  {what}: {t.Order().ElementAt(7):F2} ms");
        }
        Time("hidden0", () => TanhMlpHost.Hidden0(B, I, H, P(x), P(w0), P(b0), P(h1)));
        Time("gemm h1.w1T", () => device.Gemm(false, true, B, H, H, 1f, h1.View, H, w1.View, H, 0f, a2.View, H));
        Time("hidden1", () => { device.Gemm(false, true, B, H, H, 1f, h1.View, H, w1.View, H, 0f, h2.View, H); TanhMlpHost.Hidden1(B, H, P(b1), P(w2), P(h2), P(dz2)); });
        Time("gemm dz2.w1", () => device.Gemm(false, false, B, H, H, 1f, dz2.View, H, w1.View, H, 0f, dh1.View, H));
        Time("input grad", () => TanhMlpHost.InputGradient(B, I, H, P(dh1), P(h1), P(w0), P(gx)));
        Time("backward0", () => TanhMlpHost.Backward0(B, I, H, P(u), P(w0), P(h1), P(dh1), P(ddh1), P(dw0)));
        Time("gemm dz2T.ddh1", () => device.Gemm(true, false, H, H, B, 1f, dz2.View, H, ddh1.View, H, 0f, w1.View, H));
        Time("backward1", () => TanhMlpHost.Backward1(B, H, P(h2), P(w2), P(a2), P(dv), P(db1)));
        Time("backward2", () => TanhMlpHost.Backward2(B, I, H, P(u), P(w0), P(dh1), P(e1), P(h1), P(x), P(db0), P(dw0)));
        Time("tanh 1M one call", () => System.Numerics.Tensors.TensorPrimitives.Tanh(device.HostSpan(h1.View), device.HostSpan(a2.View)));
        Time("fast tanh 1M one call", () => FastTanh.Apply(device.HostSpan(h1.View), device.HostSpan(a2.View)));
        Time("mul 1M one call", () => System.Numerics.Tensors.TensorPrimitives.Multiply(device.HostSpan(h1.View), device.HostSpan(dh1.View), device.HostSpan(a2.View)));
        Time("copy 4 MB", () => device.HostSpan(h1.View).CopyTo(device.HostSpan(a2.View)));
    }
}
