using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>σ(x) = 1/(1+e^−x) elementwise (softplus's derivative); backward g·σ·(1−σ), differentiable.</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = MapElementwise(x, TensorPrimitives.Sigmoid, SigmoidKernels.Forward);
        return Tape.Record("sigmoid", y, [x], (g, _) => [Mul(g, Mul(y, Sub(1f, y)))], y);
    }
}

public static class SigmoidKernels
{
    /// <summary>y = 1/(1+exp(−x)). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = 1f / (1f + XMath.Exp(-x[i]));
    }
}
