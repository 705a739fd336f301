using System.Numerics.Tensors;
using ILGPU.Algorithms;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>exp(x) elementwise; backward g·y (differentiable).</summary>
    public static Tensor Exp(Tensor x)
    {
        var y = MapElementwise<ExpFunction>(x);
        return Tape.Record("exp", y, [x], (g, _) => [Mul(g, y)], y);
    }
}

/// <summary>y = exp(x).</summary>
public readonly struct ExpFunction : IUnaryFunction
{
    public float Apply(float x) => XMath.Exp(x);

    public void Host(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Exp(x, y);
}
