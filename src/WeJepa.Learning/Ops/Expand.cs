using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>Broadcasts x to <paramref name="shape"/> (NumPy rules), materialised. The gradient of a sum.</summary>
    public static Tensor Expand(Tensor x, int[] shape)
    {
        var target = Shapes.Broadcast("expand", x.Shape, shape);
        if (!Shapes.Equal(target, shape))
            throw new ShapeError($"expand: shape {Shapes.Format(x.Shape)} cannot be expanded to {Shapes.Format(shape)}");
        if (Shapes.Equal(x.Shape, shape)) return x;
        var y = Tensor.Empty(x.Device, shape);
        ExpandInto(x, y);
        return Tape.Record("expand", y, [x], (g, _) => [SumTo(g, x.Shape)]);
    }

    /// <summary>Writes x broadcast to y's shape into y (not recorded). Shapes must already be compatible.</summary>
    internal static void ExpandInto(Tensor x, Tensor y)
    {
        var shape = y.Shape;
        var map = BroadcastMap.Create("expand", shape, x.Shape, x.Shape);
        var device = x.Device;
        if (device.UseHostLoops)
        {
            var (inner, stride, _) = map.Inner;
            HostLoops.ForRows(y.Length / Math.Max(1, inner), inner, (s, n) =>
            {
                var xs = x.HostSpan; var ys = y.HostSpan;
                for (int r = s; r < s + n; r++)
                {
                    int source = map.RowStart(r).a;
                    if (stride == 1) xs.Slice(source, inner).CopyTo(ys.Slice(r * inner, inner));
                    else ys.Slice(r * inner, inner).Fill(xs[source]);
                }
            });
        }
        else device.Launch(ExpandKernels.Expand, y.Length, y.Length, map, x.View, y.View);
        y.MarkModified();
    }
}

public static class ExpandKernels
{
    /// <summary>y[i] = x[map.A(i)]. y is (n), x is the broadcast source.</summary>
    [Kernel]
    public static void Expand(int n, BroadcastMap map, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[map.SourceA(i)];
    }
}
