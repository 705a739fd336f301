namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>a / b elementwise with NumPy broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b)
    {
        var output = BinaryKernels.Run("div", BinaryOp.Div, a, b);
        // d/da = g / b; d/db = −g·a / b² = −(g / b)·(a / b)
        return Tape.Record("div", output, [a, b], (g, needs) =>
        {
            var gOverB = Div(g, b);
            return [needs[0] ? SumTo(gOverB, a.Shape) : null, needs[1] ? SumTo(Neg(Mul(gOverB, Div(a, b))), b.Shape) : null];
        }, a, b);
    }
}

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
