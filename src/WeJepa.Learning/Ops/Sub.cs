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
