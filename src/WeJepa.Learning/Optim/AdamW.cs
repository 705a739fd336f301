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
/// AdamW with decoupled weight decay, exactly <c>torch.optim.AdamW</c>'s update, as one loop over a model's
/// flat parameter buffer. Decay applies to the layout's decayed prefix only (weights, not biases or norm
/// weights). lr and weight decay are passed per step so schedules stay outside.
/// </summary>
public sealed class AdamW : IDisposable
{
    readonly ParameterStore parameters;
    readonly Tensor firstMoment;   // m, (Length)
    readonly Tensor secondMoment;  // v, (Length)

    public AdamWOptions Options { get; }
    /// <summary>Steps taken so far (PyTorch's <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }

    /// <summary>The moment buffers m and v, (Length) each in the parameters' layout: what a checkpoint saves and restores.</summary>
    public (Tensor First, Tensor Second) Moments => (firstMoment, secondMoment);

    /// <summary>Resumes the step count of a checkpoint (whose moments were written into <see cref="Moments"/>).</summary>
    public void RestoreStepCount(long steps) => StepCount = steps >= 0 ? steps : throw new ArgumentOutOfRangeException(nameof(steps));

    public AdamW(ParameterStore parameters, AdamWOptions? options = null)
    {
        this.parameters = parameters;
        Options = options ?? new AdamWOptions();
        firstMoment = parameters.NewStateBuffer();
        secondMoment = parameters.NewStateBuffer();
    }

    /// <summary>One update with learning rate <paramref name="lr"/> and decoupled weight decay <paramref name="weightDecay"/>.</summary>
    public void Step(double lr, double weightDecay)
    {
        StepCount++;
        var s = AdamWScalars.For(Options, StepCount, lr, weightDecay, parameters.Layout);
        var device = parameters.Device;
        var (p, g) = (parameters.Values.View, parameters.Grads.View);
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            var (pv, gv, mv, vv) = (p, g, firstMoment.View, secondMoment.View);
            HostLoops.For(s.N, (start, count) => AdamWHost(s, start, count, device.HostSpan(pv), device.HostSpan(gv), device.HostSpan(mv), device.HostSpan(vv)));
        }
        else device.Launch(AdamWKernel, s.N, s, p, g, firstMoment.View, secondMoment.View);
        parameters.Values.MarkModified();
    }

    /// <summary>The per-step scalars, computed once on the host as PyTorch does (bias corrections in double).</summary>
    public readonly record struct AdamWScalars(int N, int DecayEnd, float DecayFactor, float Beta1, float Beta2,
        float Eps, float StepSize, float Bc2Sqrt)
    {
        public static AdamWScalars For(AdamWOptions o, long step, double lr, double weightDecay, ParameterLayout layout) => new(
            checked((int)layout.Length), checked((int)layout.DecayedLength), (float)(1.0 - lr * weightDecay),
            (float)o.Beta1, (float)o.Beta2, (float)o.Eps,
            (float)(lr / (1.0 - Math.Pow(o.Beta1, step))), (float)Math.Sqrt(1.0 - Math.Pow(o.Beta2, step)));
    }

    /// <summary>param, grad, m, v are (N); elements [0, DecayEnd) are decayed.</summary>
    [Kernel]
    public static void AdamWKernel(AdamWScalars s, ArrayView<float> param, ArrayView<float> grad,
        ArrayView<float> m, ArrayView<float> v)
    {
        for (int i = GridStride.Start; i < s.N; i += GridStride.Step)
        {
            float g = grad[i];
            float p = i < s.DecayEnd ? param[i] * s.DecayFactor : param[i];
            float mi = m[i] * s.Beta1 + g * (1f - s.Beta1);
            float vi = v[i] * s.Beta2 + g * g * (1f - s.Beta2);
            m[i] = mi;
            v[i] = vi;
            param[i] = p - s.StepSize * mi / (XMath.Sqrt(vi) / s.Bc2Sqrt + s.Eps);
        }
    }

    /// <summary>The CPU accelerator's path over elements [start, start + count): the kernel's arithmetic, <see cref="Vector{T}"/>-wide.</summary>
    static void AdamWHost(AdamWScalars s, int start, int count, Span<float> param, Span<float> grad, Span<float> m, Span<float> v)
    {
        int width = Vector<float>.Count, i = start, end = start + count;
        var (b1, b2, c1, c2) = (new Vector<float>(s.Beta1), new Vector<float>(s.Beta2), new Vector<float>(1f - s.Beta1), new Vector<float>(1f - s.Beta2));
        var (stepSize, bc2, eps) = (new Vector<float>(s.StepSize), new Vector<float>(s.Bc2Sqrt), new Vector<float>(s.Eps));
        for (; i + width <= end; i += width)
        {
            var decay = i + width <= s.DecayEnd ? new Vector<float>(s.DecayFactor) : DecayLanes(s, i, width);
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
            float p = i < s.DecayEnd ? param[i] * s.DecayFactor : param[i];
            m[i] = m[i] * s.Beta1 + g * (1f - s.Beta1);
            v[i] = v[i] * s.Beta2 + g * g * (1f - s.Beta2);
            param[i] = p - s.StepSize * m[i] / (MathF.Sqrt(v[i]) / s.Bc2Sqrt + s.Eps);
        }
    }

    static Vector<float> DecayLanes(AdamWScalars s, int start, int width)
    {
        Span<float> lanes = stackalloc float[width];
        for (int l = 0; l < width; l++) lanes[l] = start + l < s.DecayEnd ? s.DecayFactor : 1f;
        return new Vector<float>(lanes);
    }

    public void Dispose()
    {
        firstMoment.Dispose();
        secondMoment.Dispose();
    }
}

/// <summary>The specification of <see cref="AdamW"/>: PyTorch's update written plainly in double precision.</summary>
public static class AdamWReference
{
    /// <summary>Step number <paramref name="step"/> (1-based) in place on param, m, v; [0, decayEnd) is decayed.</summary>
    public static void Step(double[] param, double[] grad, double[] m, double[] v, long step, double lr, double weightDecay,
        long decayEnd, AdamWOptions o)
    {
        double bc1 = 1 - Math.Pow(o.Beta1, step), bc2 = 1 - Math.Pow(o.Beta2, step);
        for (long i = 0; i < param.Length; i++)
        {
            if (i < decayEnd) param[i] *= 1 - lr * weightDecay;
            m[i] = o.Beta1 * m[i] + (1 - o.Beta1) * grad[i];
            v[i] = o.Beta2 * v[i] + (1 - o.Beta2) * grad[i] * grad[i];
            param[i] -= lr / bc1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(bc2) + o.Eps);
        }
    }
}
