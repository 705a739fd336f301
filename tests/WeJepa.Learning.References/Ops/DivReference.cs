namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Div"/>.</summary>
public static class DivReference
{
    public static (double[] values, int[] shape) Forward(double[] a, int[] sa, double[] b, int[] sb)
        => BroadcastReference.Map(a, sa, b, sb, (x, y) => x / y);

    public static (double[] da, double[] db) Backward(double[] a, int[] sa, double[] b, int[] sb, double[] g)
    {
        var (inv, shape) = BroadcastReference.Map(a, sa, b, sb, (_, y) => 1 / y);
        var (q, _) = BroadcastReference.Map(a, sa, b, sb, (x, y) => x / (y * y));
        return (BroadcastReference.SumTo(g.Select((v, i) => v * inv[i]).ToArray(), shape, sa),
                BroadcastReference.SumTo(g.Select((v, i) => -v * q[i]).ToArray(), shape, sb));
    }
}
