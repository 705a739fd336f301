using System.Numerics;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>tanh(x) elementwise.</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = MapElementwise<TanhFunction>(x);
        return Tape.Record("tanh", y, [x], (g, _) => [TanhGrad(g, y)], y);
    }

    /// <summary>
    /// g·(1 − y²), the backward of tanh given its output y, as one fused op that is itself differentiable
    /// (d/dg = 1 − y², d/dy = −2·y·g), so second-order passes stay cheap.
    /// </summary>
    public static Tensor TanhGrad(Tensor g, Tensor y)
    {
        if (!Shapes.Equal(g.Shape, y.Shape))
            throw new ShapeError($"tanh_grad: shapes {Shapes.Format(g.Shape)} and {Shapes.Format(y.Shape)} differ");
        var dx = Tensor.Empty(y.Device, y.Shape);
        if (y.Device.UseHostLoops)
            HostLoops.For(y.Length, (s, n) =>
            {
                var ys = y.HostSpan.Slice(s, n); var gs = g.HostSpan.Slice(s, n); var d = dx.HostSpan.Slice(s, n);
                int i = 0, w = Vector<float>.Count;
                for (; i + w <= n; i += w)
                {
                    var t = new Vector<float>(ys.Slice(i, w));
                    (new Vector<float>(gs.Slice(i, w)) * (Vector<float>.One - t * t)).CopyTo(d.Slice(i, w));
                }
                for (; i < n; i++) d[i] = gs[i] * (1f - ys[i] * ys[i]);
            });
        else y.Device.Launch(TanhKernels.Backward, y.Length, y.Length, g.View, y.View, dx.View);
        return Tape.Record("tanh_grad", dx, [g, y], (h, needs) =>
            [needs[0] ? TanhGrad(h, y) : null, needs[1] ? Mul3(h, g, y, -2f) : null], g, y);
    }
}

/// <summary>y = tanh(x) (on the host by <see cref="FastTanh"/>).</summary>
public readonly struct TanhFunction : IUnaryFunction
{
    public float Apply(float x) => XMath.Tanh(x);

    public void Host(ReadOnlySpan<float> x, Span<float> y) => FastTanh.Apply(x, y);
}

public static class TanhKernels
{
    /// <summary>dx = g·(1 − y²). g, y, dx are (n).</summary>
    [Kernel]
    public static void Backward(int n, ArrayView<float> g, ArrayView<float> y, ArrayView<float> dx)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            float t = y[i];
            dx[i] = g[i] * (1f - t * t);
        }
    }
}
