using System.Numerics.Tensors;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>alpha·x + beta, the one kernel behind every tensor–scalar op below.</summary>
    public static Tensor Affine(Tensor x, float alpha, float beta)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (x.Device.UseHostLoops)
            HostLoops.For(x.Length, (s, n) =>
            {
                var ys = y.HostSpan.Slice(s, n);
                TensorPrimitives.Multiply(x.HostSpan.Slice(s, n), alpha, ys);
                if (beta != 0f) TensorPrimitives.Add(ys, beta, ys);
            });
        else x.Device.Launch(ScalarKernels.Affine, x.Length, x.Length, alpha, beta, x.View, y.View);
        return Tape.Record("affine", y, [x], (g, _) => [Mul(g, alpha)]);
    }

    public static Tensor Neg(Tensor x) => Affine(x, -1f, 0f);
    public static Tensor Add(Tensor x, float s) => Affine(x, 1f, s);
    public static Tensor Sub(Tensor x, float s) => Affine(x, 1f, -s);
    /// <summary>s − x.</summary>
    public static Tensor Sub(float s, Tensor x) => Affine(x, -1f, s);
    public static Tensor Mul(Tensor x, float s) => Affine(x, s, 0f);
    public static Tensor Div(Tensor x, float s) => Affine(x, 1f / s, 0f);
}

public static class ScalarKernels
{
    /// <summary>y[i] = alpha·x[i] + beta. x, y are (n).</summary>
    [Kernel]
    public static void Affine(int n, float alpha, float beta, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = alpha * x[i] + beta;
    }
}
