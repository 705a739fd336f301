using System.Numerics;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// scale·a·b·c elementwise for equal shapes, in one pass: the products that second-order backward passes
    /// are made of (e.g. −2·h·g·y in tanh's), fused so they cost one kernel instead of three.
    /// Its backward is Mul3 again, so it is differentiable to any order.
    /// </summary>
    public static Tensor Mul3(Tensor a, Tensor b, Tensor c, float scale = 1f)
    {
        if (!Shapes.Equal(a.Shape, b.Shape) || !Shapes.Equal(a.Shape, c.Shape))
            throw new ShapeError($"mul3: shapes {Shapes.Format(a.Shape)}, {Shapes.Format(b.Shape)} and {Shapes.Format(c.Shape)} differ");
        var y = Tensor.Empty(a.Device, a.Shape);
        if (a.Device.UseHostLoops)
            HostLoops.For(a.Length, (s, n) =>
            {
                var sa = a.HostSpan.Slice(s, n); var sb = b.HostSpan.Slice(s, n); var sc = c.HostSpan.Slice(s, n); var so = y.HostSpan.Slice(s, n);
                int i = 0, w = Vector<float>.Count;
                for (; i + w <= n; i += w)
                    (new Vector<float>(sa.Slice(i, w)) * new Vector<float>(sb.Slice(i, w)) * new Vector<float>(sc.Slice(i, w)) * scale).CopyTo(so.Slice(i, w));
                for (; i < n; i++) so[i] = sa[i] * sb[i] * sc[i] * scale;
            });
        else a.Device.Launch(Mul3Kernels.Forward, a.Length, a.Length, scale, a.View, b.View, c.View, y.View);
        return Tape.Record("mul3", y, [a, b, c], (g, needs) =>
            [needs[0] ? Mul3(g, b, c, scale) : null, needs[1] ? Mul3(g, a, c, scale) : null, needs[2] ? Mul3(g, a, b, scale) : null], a, b, c);
    }
}

public static class Mul3Kernels
{
    /// <summary>y = scale·a·b·c. a, b, c, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, float scale, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = scale * a[i] * b[i] * c[i];
    }
}
