using System.Numerics.Tensors;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>The four broadcasting arithmetic ops share one kernel and one host path, selected by this code.</summary>
public enum BinaryOp { Add = 0, Sub = 1, Mul = 2, Div = 3 }

/// <summary>Broadcasting elementwise a ∘ b: the ILGPU kernel and the CPU SIMD path (used by Add, Sub, Mul, Div).</summary>
public static class BinaryKernels
{
    /// <summary>out[i] = a[map.A(i)] op b[map.B(i)]. out is (n), a and b are the broadcast sources.</summary>
    [Kernel]
    public static void Broadcast(int n, BroadcastMap map, int op, ArrayView<float> a, ArrayView<float> b, ArrayView<float> output)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            float x = a[map.SourceA(i)], y = b[map.SourceB(i)];
            output[i] = op == 0 ? x + y : op == 1 ? x - y : op == 2 ? x * y : x / y;
        }
    }

    /// <summary>Runs a ∘ b into a new tensor of the broadcast shape (validated first; error names the op).</summary>
    internal static Tensor Run(string name, BinaryOp op, Tensor a, Tensor b)
    {
        if (a.Device != b.Device) throw new ShapeError($"{name}: tensors on different devices ({a.Device}, {b.Device})");
        var shape = Shapes.Broadcast(name, a.Shape, b.Shape);
        var map = BroadcastMap.Create(name, shape, a.Shape, b.Shape);
        var output = Tensor.Empty(a.Device, shape);
        var device = a.Device;
        if (device.UseHostLoops) RunHost(op, map, a, b, output);
        else device.Launch(Broadcast, output.Length, output.Length, map, (int)op, a.View, b.View, output.View);
        return output;
    }

    static void RunHost(BinaryOp op, BroadcastMap map, Tensor a, Tensor b, Tensor output)
    {
        var (inner, strideA, strideB) = map.Inner;
        int rows = output.Length / Math.Max(1, inner);
        HostLoops.ForRows(rows, inner, (start, count) =>
        {
            var sa = a.HostSpan; var sb = b.HostSpan; var so = output.HostSpan;
            for (int r = start; r < start + count; r++)
            {
                var (oa, ob) = map.RowStart(r);
                var o = so.Slice(r * inner, inner);
                if (strideA == 1 && strideB == 1) Apply(op, sa.Slice(oa, inner), sb.Slice(ob, inner), o);
                else if (strideA == 1) Apply(op, sa.Slice(oa, inner), sb[ob], o);
                else Apply(op, sa[oa], sb.Slice(ob, inner), o);
            }
        });
    }

    static void Apply(BinaryOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> o)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, o); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, o); break;
            default: TensorPrimitives.Divide(x, y, o); break;
        }
    }

    static void Apply(BinaryOp op, ReadOnlySpan<float> x, float y, Span<float> o)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, y, o); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, o); break;
            default: TensorPrimitives.Divide(x, y, o); break;
        }
    }

    static void Apply(BinaryOp op, float x, ReadOnlySpan<float> y, Span<float> o)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(y, x, o); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, y, o); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, o); break;
            default: TensorPrimitives.Divide(x, y, o); break;
        }
    }
}
