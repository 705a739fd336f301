using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>sin(x) elementwise (analytic pendulum energies); backward g·cos(x) built from differentiable ops.</summary>
    public static Tensor Sin(Tensor x)
    {
        var y = MapElementwise(x, TensorPrimitives.Sin, SinKernels.Forward);
        return Tape.Record("sin", y, [x], (g, _) => [Mul(g, Cos(x))], x);
    }
}

public static class SinKernels
{
    /// <summary>y = sin(x). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = XMath.Sin(x[i]);
    }
}
