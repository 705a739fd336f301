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
