namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Concat"/> (two inputs).</summary>
public static class ConcatReference
{
    public static double[] Forward(double[] a, int[] sa, double[] b, int[] sb, int axis)
    {
        var shape = (int[])sa.Clone();
        shape[axis] += sb[axis];
        var y = SliceReference.Backward(a, shape, axis, 0, sa[axis]);
        var yb = SliceReference.Backward(b, shape, axis, sa[axis], sb[axis]);
        return y.Select((v, i) => v + yb[i]).ToArray();
    }

    public static (double[] da, double[] db) Backward(double[] g, int[] sa, int[] sb, int axis)
    {
        var shape = (int[])sa.Clone();
        shape[axis] += sb[axis];
        return (SliceReference.Forward(g, shape, axis, 0, sa[axis]), SliceReference.Forward(g, shape, axis, sa[axis], sb[axis]));
    }
}
