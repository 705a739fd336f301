using System.Numerics;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Optim;

/// <summary>AdamW hyper-parameters (PyTorch's defaults except weight decay, which callers set).</summary>
public sealed record AdamWOptions(double Beta1 = 0.9, double Beta2 = 0.999, double Eps = 1e-8);

/// <summary>
/// AdamW with decoupled weight decay, exactly <c>torch.optim.AdamW</c>'s update, over one or several parameter
/// stores (an encoder and a predictor: one optimizer, one step count), one loop over each store's flat buffer.
/// Decay applies per parameter (its <see cref="ParameterSpec.Decay"/> flag: weights, not biases or norm weights).
/// lr and weight decay are passed per step so schedules stay outside.
/// </summary>
public sealed class AdamW : IDisposable
{
    readonly (ParameterStore Store, Tensor M, Tensor V)[] groups; // m, v: (Length) per store

    public AdamWOptions Options { get; }
    /// <summary>Steps taken so far (PyTorch's <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }
    /// <summary>The stores this optimizer updates, in order.</summary>
    public IReadOnlyList<ParameterStore> Stores { get; }

    /// <summary>The moment buffers m and v of <paramref name="store"/>, (Length) each in its layout: what a checkpoint saves and restores.</summary>
    public (Tensor First, Tensor Second) MomentsOf(ParameterStore store)
    {
        foreach (var (s, m, v) in groups) if (s == store) return (m, v);
        throw new ArgumentException($"AdamW: {store} is not one of this optimizer's stores");
    }

    /// <summary>Resumes the step count of a checkpoint (whose moments were written into <see cref="MomentsOf"/>).</summary>
    public void RestoreStepCount(long steps) => StepCount = steps >= 0 ? steps : throw new ArgumentOutOfRangeException(nameof(steps));

    public AdamW(ParameterStore parameters, AdamWOptions? options = null) : this([parameters], options) { }

    public AdamW(IReadOnlyList<ParameterStore> stores, AdamWOptions? options = null)
    {
        Stores = OptimizerStores.Check("AdamW", stores);
        Options = options ?? new AdamWOptions();
        groups = stores.Select(p => (p, p.NewStateBuffer(), p.NewStateBuffer())).ToArray();
    }

    /// <summary>Zeroes the gradients of every store (before a step's backward).</summary>
    public void ZeroGrad()
    {
        foreach (var (store, _, _) in groups) store.ZeroGrad();
    }

    /// <summary>One update with learning rate <paramref name="lr"/> and decoupled weight decay <paramref name="weightDecay"/>.</summary>
    public void Step(double lr, double weightDecay)
    {
        StepCount++;
        foreach (var (store, m, v) in groups) Update(store, m, v, AdamWScalars.For(Options, StepCount, lr, weightDecay, store.Layout));
    }

    static void Update(ParameterStore store, Tensor m, Tensor v, AdamWScalars s)
    {
        var device = store.Device;
        var (p, g) = (store.Values.View, store.Grads.View);
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            var (mv, vv) = (m.View, v.View);
            foreach (var run in store.Layout.Runs)
            {
                var (offset, decay) = ((int)run.Offset, run.Decay ? s.DecayFactor : 1f);
                HostLoops.For(run.Length, (start, count) => AdamWHost(s, decay, offset + start, count,
                    device.HostSpan(p), device.HostSpan(g), device.HostSpan(mv), device.HostSpan(vv)));
            }
        }
        else device.Launch(AdamWKernel, s.N, s, p, g, m.View, v.View, store.DecayMask.UInt8View);
        store.Values.MarkModified();
    }

    /// <summary>The per-step scalars, computed once on the host as PyTorch does (bias corrections in double).</summary>
    public readonly record struct AdamWScalars(int N, float DecayFactor, float Beta1, float Beta2,
        float Eps, float StepSize, float Bc2Sqrt)
    {
        public static AdamWScalars For(AdamWOptions o, long step, double lr, double weightDecay, ParameterLayout layout) => new(
            checked((int)layout.Length), (float)(1.0 - lr * weightDecay),
            (float)o.Beta1, (float)o.Beta2, (float)o.Eps,
            (float)(lr / (1.0 - Math.Pow(o.Beta1, step))), (float)Math.Sqrt(1.0 - Math.Pow(o.Beta2, step)));
    }

    /// <summary>param, grad, m, v are (N) float32; decay is (N) uint8, 1 where weight decay applies.</summary>
    [Kernel]
    public static void AdamWKernel(AdamWScalars s, ArrayView<float> param, ArrayView<float> grad,
        ArrayView<float> m, ArrayView<float> v, ArrayView<byte> decay)
    {
        for (int i = GridStride.Start; i < s.N; i += GridStride.Step)
        {
            float g = grad[i];
            float p = decay[i] != 0 ? param[i] * s.DecayFactor : param[i];
            float mi = m[i] * s.Beta1 + g * (1f - s.Beta1);
            float vi = v[i] * s.Beta2 + g * g * (1f - s.Beta2);
            m[i] = mi;
            v[i] = vi;
            param[i] = p - s.StepSize * mi / (XMath.Sqrt(vi) / s.Bc2Sqrt + s.Eps);
        }
    }

    /// <summary>The CPU accelerator's path over elements [start, start + count) of one decay run: the kernel's arithmetic, <see cref="Vector{T}"/>-wide.</summary>
    static void AdamWHost(AdamWScalars s, float decayFactor, int start, int count, Span<float> param, Span<float> grad, Span<float> m, Span<float> v)
    {
        int width = Vector<float>.Count, i = start, end = start + count;
        var (b1, b2, c1, c2) = (new Vector<float>(s.Beta1), new Vector<float>(s.Beta2), new Vector<float>(1f - s.Beta1), new Vector<float>(1f - s.Beta2));
        var (stepSize, bc2, eps, decay) = (new Vector<float>(s.StepSize), new Vector<float>(s.Bc2Sqrt), new Vector<float>(s.Eps), new Vector<float>(decayFactor));
        for (; i + width <= end; i += width)
        {
            var g = new Vector<float>(grad[i..]);
            var mi = new Vector<float>(m[i..]) * b1 + g * c1;
            var vi = new Vector<float>(v[i..]) * b2 + g * g * c2;
            mi.CopyTo(m[i..]);
            vi.CopyTo(v[i..]);
            (new Vector<float>(param[i..]) * decay - stepSize * mi / (Vector.SquareRoot(vi) / bc2 + eps)).CopyTo(param[i..]);
        }
        for (; i < end; i++)
        {
            float g = grad[i];
            float p = param[i] * decayFactor;
            m[i] = m[i] * s.Beta1 + g * (1f - s.Beta1);
            v[i] = v[i] * s.Beta2 + g * g * (1f - s.Beta2);
            param[i] = p - s.StepSize * m[i] / (MathF.Sqrt(v[i]) / s.Bc2Sqrt + s.Eps);
        }
    }

    public void Dispose()
    {
        foreach (var (_, m, v) in groups)
        {
            m.Dispose();
            v.Dispose();
        }
    }
}

/// <summary>The checks every optimizer makes on the stores it is given.</summary>
static class OptimizerStores
{
    public static IReadOnlyList<ParameterStore> Check(string optimizer, IReadOnlyList<ParameterStore> stores)
    {
        if (stores.Count == 0) throw new ArgumentException($"{optimizer}: no parameter stores given");
        foreach (var s in stores)
        {
            if (!s.Trainable) throw new ArgumentException($"{optimizer}: {s} is frozen (an EMA teacher is updated by Ema.Update, not an optimizer)");
            if (s.Device != stores[0].Device) throw new ArgumentException($"{optimizer}: {s} is on {s.Device}, {stores[0]} on {stores[0].Device}");
        }
        if (stores.Distinct().Count() != stores.Count) throw new ArgumentException($"{optimizer}: a parameter store is given twice");
        return stores.ToArray();
    }
}
