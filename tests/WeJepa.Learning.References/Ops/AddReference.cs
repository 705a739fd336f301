namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Add"/>.</summary>
public static class AddReference
{
    public static (double[] values, int[] shape) Forward(double[] a, int[] sa, double[] b, int[] sb)
        => BroadcastReference.Map(a, sa, b, sb, (x, y) => x + y);

    public static (double[] da, double[] db) Backward(double[] g, int[] shape, int[] sa, int[] sb)
        => (BroadcastReference.SumTo(g, shape, sa), BroadcastReference.SumTo(g, shape, sb));
}
