using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>Which GELU: PyTorch's <c>approximate="none"</c> (exact, erf) or <c>approximate="tanh"</c>.</summary>
public enum GeluApproximation { None, Tanh }

/// <summary>GELU kernels (grid-stride, elementwise) and SIMD host twins. form: 0 = exact (erf), 1 = tanh.</summary>
public static class GeluKernels
{
    const float SqrtHalf = 0.70710678118654752f, InvSqrt2Pi = 0.39894228040143268f;
    const float TanhK = 0.79788456080286536f, TanhC = 0.044715f;

    /// <summary>y = gelu(x). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, int form, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = Value(x[i], form);
    }

    /// <summary>dx = dy·gelu'(x). x, dy, dx are (n).</summary>
    [Kernel]
    public static void Backward(int n, int form, ArrayView<float> x, ArrayView<float> dy, ArrayView<float> dx)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) dx[i] = dy[i] * Slope(x[i], form);
    }

    /// <summary>gelu(v): exact x·Φ(x), or tanh ½x·(1 + tanh(k(x + c·x³))).</summary>
    public static float Value(float v, int form) => form == 0
        ? v * Cdf(v, XMath.Exp(-0.5f * v * v))
        : 0.5f * v * OnePlusTanh(TanhK * (v + TanhC * v * v * v));

    /// <summary>gelu'(v): exact Φ(x) + x·φ(x), or tanh ½s + ½x(2 − s)s·k(1 + 3c·x²) with s = 1 + tanh(…).</summary>
    public static float Slope(float v, int form)
    {
        if (form == 0)
        {
            float e = XMath.Exp(-0.5f * v * v);
            return Cdf(v, e) + v * InvSqrt2Pi * e;
        }
        float s = OnePlusTanh(TanhK * (v + TanhC * v * v * v));
        return 0.5f * s + 0.5f * v * (2f - s) * s * TanhK * (1f + 3f * TanhC * v * v);
    }

    /// <summary>Φ(x) = ½·erfc(−x/√2), given e^{−x²/2}: accurate relative to itself in the far negative tail too.</summary>
    public static float Cdf(float x, float expMinusHalfXSquared)
    {
        float half = 0.5f * ErfMath.ErfcOfAbs((x < 0 ? -x : x) * SqrtHalf, expMinusHalfXSquared);
        return x < 0 ? half : 1f - half;
    }

    /// <summary>
    /// s = 1 + tanh(u) = 2/(1 + e^{−2u}): no cancellation where tanh(u) ≈ −1 (GELU's far negative tail, whose tiny
    /// values would otherwise round to 0); and 1 − tanh²(u) = (2 − s)·s.
    /// </summary>
    public static float OnePlusTanh(float u) => 2f / (1f + XMath.Exp(-2f * u));

    // ------------------------------------------------------------ CPU host loops (same maths, SIMD)

    public static unsafe void ForwardHost(int n, int form, float* x, float* y)
    {
        nint xp = (nint)x, yp = (nint)y;
        HostLoops.For(n, (i0, count) =>
        {
            int i1 = i0 + count;
            var xs = new ReadOnlySpan<float>((float*)xp + i0, i1 - i0);
            var ys = new Span<float>((float*)yp + i0, i1 - i0);
            int i = 0, w = Vector<float>.Count;
            for (; i <= xs.Length - w; i += w)
            {
                var v = new Vector<float>(xs.Slice(i));
                ForwardV(v, form).CopyTo(ys.Slice(i));
            }
            for (; i < xs.Length; i++) ys[i] = Value(xs[i], form);
        });
    }

    public static unsafe void BackwardHost(int n, int form, float* x, float* dy, float* dx)
    {
        nint xp = (nint)x, dyp = (nint)dy, dxp = (nint)dx;
        HostLoops.For(n, (i0, count) =>
        {
            int i1 = i0 + count;
            var xs = new ReadOnlySpan<float>((float*)xp + i0, i1 - i0);
            var dys = new ReadOnlySpan<float>((float*)dyp + i0, i1 - i0);
            var dxs = new Span<float>((float*)dxp + i0, i1 - i0);
            int i = 0, w = Vector<float>.Count;
            for (; i <= xs.Length - w; i += w)
            {
                var v = new Vector<float>(xs.Slice(i));
                (new Vector<float>(dys.Slice(i)) * DerivativeV(v, form)).CopyTo(dxs.Slice(i));
            }
            for (; i < xs.Length; i++) dxs[i] = dys[i] * Slope(xs[i], form);
        });
    }

    // exact: y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2));  tanh: y = ½x·s, s = 1 + tanh(u), u = k(x + c·x³)
    static Vector<float> ForwardV(Vector<float> x, int form)
        => form == 0 ? x * Cdf(x, Vector.Exp(new Vector<float>(-0.5f) * x * x)) : new Vector<float>(0.5f) * x * OnePlusTanh(TanhArgument(x));

    // exact: Φ(x) + x·φ(x);  tanh: ½s + ½x(2 − s)s·k(1 + 3c·x²)
    static Vector<float> DerivativeV(Vector<float> x, int form)
    {
        var half = new Vector<float>(0.5f);
        if (form == 0)
        {
            var e = Vector.Exp(-half * x * x);
            return Cdf(x, e) + x * new Vector<float>(InvSqrt2Pi) * e;
        }
        var s = OnePlusTanh(TanhArgument(x));
        return half * s + half * x * (new Vector<float>(2f) - s) * s * new Vector<float>(TanhK) * (Vector<float>.One + new Vector<float>(3f * TanhC) * x * x);
    }

    static Vector<float> Cdf(Vector<float> x, Vector<float> expMinusHalfXSquared)
    {
        var half = new Vector<float>(0.5f) * ErfMath.ErfcOfAbs(Vector.Abs(x) * new Vector<float>(SqrtHalf), expMinusHalfXSquared);
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), half, Vector<float>.One - half);
    }

    static Vector<float> TanhArgument(Vector<float> x) => new Vector<float>(TanhK) * x * (Vector<float>.One + new Vector<float>(TanhC) * x * x);

    static Vector<float> OnePlusTanh(Vector<float> u) => new Vector<float>(2f) / (Vector<float>.One + Vector.Exp(new Vector<float>(-2f) * u));
}

public static partial class Ops
{
    /// <summary>GELU, elementwise, like PyTorch <c>F.gelu(x, approximate=...)</c> (default: the exact erf form). Fused backward (first order only).</summary>
    public static unsafe Tensor Gelu(Tensor x, GeluApproximation approximate = GeluApproximation.None)
    {
        var device = x.Device;
        int form = (int)approximate;
        var y = Tensor.Empty(device, x.Shape);
        if (device.UseHostLoops) GeluKernels.ForwardHost(x.Length, form, FusedOps.Host(x), FusedOps.Host(y));
        else device.Launch(GeluKernels.Forward, x.Length, x.Length, form, x.View, y.View);
        return Tape.Record(approximate == GeluApproximation.None ? "gelu" : "gelu_tanh", y, [x], (dy, _) =>
        {
            FusedOps.EnsureFirstOrder("gelu", dy);
            var dx = Tensor.Empty(device, x.Shape);
            if (device.UseHostLoops) GeluKernels.BackwardHost(x.Length, form, FusedOps.Host(x), FusedOps.Host(dy), FusedOps.Host(dx));
            else device.Launch(GeluKernels.Backward, x.Length, x.Length, form, x.View, dy.View, dx.View);
            return [dx];
        }, x);
    }
}
