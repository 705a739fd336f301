using System.Numerics.Tensors;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>max(x, 0) elementwise (PyTorch's default activation of <c>nn.TransformerEncoderLayer</c>); backward g·[x &gt; 0].</summary>
    public static Tensor Relu(Tensor x)
    {
        var y = MapElementwise(x, (a, b) => TensorPrimitives.Max(a, 0f, b), ReluKernels.Forward);
        // the step has derivative 0 almost everywhere, so g·step(x) is the whole (differentiable in g) backward
        return Tape.Record("relu", y, [x], (g, _) => [Mul(g, MapElementwise(x, ReluKernels.StepHost, ReluKernels.Step))], x);
    }
}

public static class ReluKernels
{
    /// <summary>y = max(x, 0). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    /// <summary>y = 1 where x &gt; 0, else 0 (PyTorch's ReLU gradient at 0 is 0). x, y are (n).</summary>
    [Kernel]
    public static void Step(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i] > 0f ? 1f : 0f;
    }

    internal static void StepHost(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0f ? 1f : 0f;
    }
}

/// <summary>Double-precision reference of <see cref="Ops.Relu"/>.</summary>
public static class ReluReference
{
    public static double[] Forward(double[] x) => x.Select(v => Math.Max(v, 0)).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => v > 0 ? g[i] : 0).ToArray();
}
