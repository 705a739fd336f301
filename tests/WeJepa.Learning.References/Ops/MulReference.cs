namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Mul"/>.</summary>
public static class MulReference
{
    public static (double[] values, int[] shape) Forward(double[] a, int[] sa, double[] b, int[] sb)
        => BroadcastReference.Map(a, sa, b, sb, (x, y) => x * y);

    public static (double[] da, double[] db) Backward(double[] a, int[] sa, double[] b, int[] sb, double[] g)
    {
        var (gb, shape) = BroadcastReference.Map(b, sb, a, sa, (y, _) => y);
        var (ga, _) = BroadcastReference.Map(a, sa, b, sb, (x, _) => x);
        return (BroadcastReference.SumTo(g.Select((v, i) => v * gb[i]).ToArray(), shape, sa),
                BroadcastReference.SumTo(g.Select((v, i) => v * ga[i]).ToArray(), shape, sb));
    }
}
