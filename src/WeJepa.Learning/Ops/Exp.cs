using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>exp(x) elementwise; backward g·y (differentiable).</summary>
    public static Tensor Exp(Tensor x)
    {
        var y = MapElementwise(x, TensorPrimitives.Exp, ExpKernels.Forward);
        return Tape.Record("exp", y, [x], (g, _) => [Mul(g, y)], y);
    }
}

public static class ExpKernels
{
    /// <summary>y = exp(x). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = XMath.Exp(x[i]);
    }
}
