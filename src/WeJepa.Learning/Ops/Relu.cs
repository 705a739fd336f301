using System.Numerics.Tensors;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>max(x, 0) elementwise (PyTorch's default activation of <c>nn.TransformerEncoderLayer</c>); backward g·[x &gt; 0].</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = MapElementwise<ReluFunction>(x);
        // the step has derivative 0 almost everywhere, so g·step(x) is the whole (differentiable in g) backward
        return Tape.Record("relu", y, [x], (g, _) => [Mul(g, MapElementwise<ReluStepFunction>(x))], x);
    }
}

/// <summary>y = max(x, 0).</summary>
public readonly struct ReluFunction : IUnaryFunction
{
    public float Apply(float x) => x > 0f ? x : 0f;

    public void Host(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);
}

/// <summary>y = 1 where x &gt; 0, else 0 (PyTorch's ReLU gradient at 0 is 0).</summary>
public readonly struct ReluStepFunction : IUnaryFunction
{
    public float Apply(float x) => x > 0f ? 1f : 0f;

    public void Host(ReadOnlySpan<float> x, Span<float> y) => UnaryKernels.HostScalar<ReluStepFunction>(x, y);
}
