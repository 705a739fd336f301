namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>a − b with NumPy broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b)
    {
        var output = BinaryKernels.Run("sub", BinaryOp.Sub, a, b);
        return Tape.Record("sub", output, [a, b], (g, needs) =>
            [needs[0] ? SumTo(g, a.Shape) : null, needs[1] ? SumTo(Neg(g), b.Shape) : null]);
    }
}

/// <summary>Double-precision reference of <see cref="Ops.Sub"/>.</summary>
public static class SubReference
{
    public static (double[] values, int[] shape) Forward(double[] a, int[] sa, double[] b, int[] sb)
        => BroadcastReference.Map(a, sa, b, sb, (x, y) => x - y);

    public static (double[] da, double[] db) Backward(double[] g, int[] shape, int[] sa, int[] sb)
        => (BroadcastReference.SumTo(g, shape, sa), BroadcastReference.SumTo(g.Select(v => -v).ToArray(), shape, sb));
}
