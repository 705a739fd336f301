using System.Numerics.Tensors;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>x² elementwise; backward 2·x·g (differentiable).</summary>
    public static Tensor Square(Tensor x)
    {
        var y = MapElementwise<SquareFunction>(x);
        return Tape.Record("square", y, [x], (g, _) => [Mul(Mul(g, x), 2f)], x);
    }
}

/// <summary>y = x².</summary>
public readonly struct SquareFunction : IUnaryFunction
{
    public float Apply(float x) => x * x;

    public void Host(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Multiply(x, x, y);
}
