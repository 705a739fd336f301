namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>a · b elementwise with NumPy broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b)
    {
        var output = BinaryKernels.Run("mul", BinaryOp.Mul, a, b);
        return Tape.Record("mul", output, [a, b], (g, needs) =>
            [needs[0] ? SumTo(Mul(g, b), a.Shape) : null, needs[1] ? SumTo(Mul(g, a), b.Shape) : null], a, b);
    }
}

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
