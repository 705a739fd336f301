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
