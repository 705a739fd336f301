using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>x[..., start:start+length, ...] along <paramref name="axis"/>, copied to a contiguous tensor. Backward: Pad.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        int a = Shapes.Axis("slice", axis, x.Rank);
        if (start < 0 || length < 0 || start + length > x.Shape[a])
            throw new ShapeError($"slice: [{start}, {start + length}) along axis {axis} is outside shape {Shapes.Format(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[a] = length;
        var y = Tensor.Empty(x.Device, shape);
        CopyBlock(x, y, a, start, 0, length);
        int full = x.Shape[a];
        return Tape.Record("slice", y, [x], (g, _) => [Pad(g, a, start, full - start - length)]);
    }

    /// <summary>Zero padding along <paramref name="axis"/>: <paramref name="before"/> zeros, x, <paramref name="after"/> zeros. Backward: Slice.</summary>
    public static Tensor Pad(Tensor x, int axis, int before, int after)
    {
        int a = Shapes.Axis("pad", axis, x.Rank);
        if (before < 0 || after < 0) throw new ShapeError($"pad: negative padding ({before}, {after}) for shape {Shapes.Format(x.Shape)}");
        var shape = (int[])x.Shape.Clone();
        shape[a] += before + after;
        var y = Tensor.Zeros(x.Device, shape);
        CopyBlock(x, y, a, 0, before, x.Shape[a]);
        int length = x.Shape[a];
        return Tape.Record("pad", y, [x], (g, _) => [Slice(g, a, before, length)]);
    }

    /// <summary>
    /// Copies rows [srcStart, srcStart+length) along axis of src into [dstStart, …) along the same axis of dst;
    /// all other dims equal. Both viewed as (outer, axisLength, inner).
    /// </summary>
    internal static void CopyBlock(Tensor src, Tensor dst, int axis, int srcStart, int dstStart, int length)
    {
        int outer = Shapes.Product(src.Shape.AsSpan(0, axis));
        int inner = Shapes.Product(src.Shape.AsSpan(axis + 1));
        int ls = src.Shape[axis], ld = dst.Shape[axis];
        var device = src.Device;
        if (device.UseHostLoops)
        {
            int block = length * inner;
            HostLoops.ForRows(outer, block, (s, n) =>
            {
                var ss = src.HostSpan; var ds = dst.HostSpan;
                for (int o = s; o < s + n; o++)
                    ss.Slice((o * ls + srcStart) * inner, block).CopyTo(ds.Slice((o * ld + dstStart) * inner, block));
            });
        }
        else device.Launch(SliceKernels.CopyBlock, (long)outer * length * inner,
            new BlockCopy { Outer = outer, Length = length, Inner = inner, SourceAxis = ls, SourceStart = srcStart, TargetAxis = ld, TargetStart = dstStart },
            src.View, dst.View);
        dst.MarkModified();
    }
}

/// <summary>Geometry of a block copy between two tensors viewed as (outer, axis, inner).</summary>
public struct BlockCopy
{
    public int Outer, Length, Inner, SourceAxis, SourceStart, TargetAxis, TargetStart;
}

public static class SliceKernels
{
    /// <summary>dst[o, TargetStart + k, j] = src[o, SourceStart + k, j] for k &lt; Length. src is (Outer, SourceAxis, Inner), dst (Outer, TargetAxis, Inner).</summary>
    [Kernel]
    public static void CopyBlock(BlockCopy c, ArrayView<float> src, ArrayView<float> dst)
    {
        int n = c.Outer * c.Length * c.Inner;
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            int j = i % c.Inner;
            int r = i / c.Inner;
            int k = r % c.Length;
            int o = r / c.Length;
            dst[(o * c.TargetAxis + c.TargetStart + k) * c.Inner + j] = src[(o * c.SourceAxis + c.SourceStart + k) * c.Inner + j];
        }
    }
}
