using System.Numerics.Tensors;
using ILGPU.Algorithms;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>sin(x) elementwise (analytic pendulum energies); backward g·cos(x) built from differentiable ops.</summary>
    public static Tensor Sin(Tensor x)
    {
        var y = MapElementwise<SinFunction>(x);
        return Tape.Record("sin", y, [x], (g, _) => [Mul(g, Cos(x))], x);
    }
}

/// <summary>y = sin(x).</summary>
public readonly struct SinFunction : IUnaryFunction
{
    public float Apply(float x) => XMath.Sin(x);

    public void Host(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sin(x, y);
}
