using ILGPU.Algorithms;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) (no overflow).</summary>
    public static Tensor Softplus(Tensor x)
    {
        var y = MapElementwise<SoftplusFunction>(x);
        return Tape.Record("softplus", y, [x], (g, _) => [SoftplusGrad(g, x)], x);
    }

    /// <summary>g·σ(x), the backward of softplus, as a differentiable op (d/dg = σ(x), d/dx = g·σ(x)(1 − σ(x))).</summary>
    public static Tensor SoftplusGrad(Tensor g, Tensor x)
    {
        if (!Shapes.Equal(g.Shape, x.Shape))
            throw new ShapeError($"softplus_grad: shapes {Shapes.Format(g.Shape)} and {Shapes.Format(x.Shape)} differ");
        Tensor dx;
        using (Autograd.NoGrad(g.Device)) dx = Mul(g, Sigmoid(x));
        return Tape.Record("softplus_grad", dx, [g, x], (h, needs) =>
        {
            var s = Sigmoid(x);
            return [needs[0] ? Mul(h, s) : null, needs[1] ? Mul(Mul(h, g), Mul(s, Sub(1f, s))) : null];
        }, g, x);
    }
}

/// <summary>y = max(x, 0) + log(1 + exp(−|x|)).</summary>
public readonly struct SoftplusFunction : IUnaryFunction
{
    public float Apply(float x) => XMath.Max(x, 0f) + XMath.Log(1f + XMath.Exp(-XMath.Abs(x)));

    public void Host(ReadOnlySpan<float> x, Span<float> y) => UnaryKernels.HostScalar<SoftplusFunction>(x, y);
}
