using System.Numerics.Tensors;
using ILGPU.Algorithms;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>σ(x) = 1/(1+e^−x) elementwise (softplus's derivative); backward g·σ·(1−σ), differentiable.</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = MapElementwise<SigmoidFunction>(x);
        return Tape.Record("sigmoid", y, [x], (g, _) => [Mul(g, Mul(y, Sub(1f, y)))], y);
    }
}

/// <summary>y = 1/(1+exp(−x)).</summary>
public readonly struct SigmoidFunction : IUnaryFunction
{
    public float Apply(float x) => 1f / (1f + XMath.Exp(-x));

    public void Host(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);
}
