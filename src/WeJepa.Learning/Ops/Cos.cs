using System.Numerics.Tensors;
using ILGPU.Algorithms;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>cos(x) elementwise (analytic pendulum energies); backward −g·sin(x) built from differentiable ops.</summary>
    public static Tensor Cos(Tensor x)
    {
        var y = MapElementwise<CosFunction>(x);
        return Tape.Record("cos", y, [x], (g, _) => [Neg(Mul(g, Sin(x)))], x);
    }
}

/// <summary>y = cos(x).</summary>
public readonly struct CosFunction : IUnaryFunction
{
    public float Apply(float x) => XMath.Cos(x);

    public void Host(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Cos(x, y);
}
