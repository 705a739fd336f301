using System.Numerics.Tensors;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>x² elementwise; backward 2·x·g (differentiable).</summary>
    public static Tensor Square(Tensor x)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (x.Device.UseHostLoops)
            HostLoops.For(x.Length, (s, n) => { var xs = x.HostSpan.Slice(s, n); TensorPrimitives.Multiply(xs, xs, y.HostSpan.Slice(s, n)); });
        else x.Device.Launch(SquareKernels.Forward, x.Length, x.Length, x.View, y.View);
        return Tape.Record("square", y, [x], (g, _) => [Mul(Mul(g, x), 2f)], x);
    }
}

public static class SquareKernels
{
    /// <summary>y = x². x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[i] * x[i];
    }
}
