using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>cos(x) elementwise (analytic pendulum energies); backward −g·sin(x) built from differentiable ops.</summary>
    public static Tensor Cos(Tensor x)
    {
        var y = MapElementwise(x, TensorPrimitives.Cos, CosKernels.Forward);
        return Tape.Record("cos", y, [x], (g, _) => [Neg(Mul(g, Sin(x)))], x);
    }
}

public static class CosKernels
{
    /// <summary>y = cos(x). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = XMath.Cos(x[i]);
    }
}
