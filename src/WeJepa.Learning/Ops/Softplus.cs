using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>softplus(x) = log(1 + eˣ), computed as max(x, 0) + log1p(e^−|x|) (no overflow).</summary>
    public static Tensor Softplus(Tensor x)
    {
        var y = Tensor.Empty(x.Device, x.Shape);
        if (x.Device.UseHostLoops)
            HostLoops.For(x.Length, (s, n) =>
            {
                var xs = x.HostSpan.Slice(s, n); var ys = y.HostSpan.Slice(s, n);
                for (int i = 0; i < xs.Length; i++) ys[i] = MathF.Max(xs[i], 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(xs[i])));
            });
        else x.Device.Launch(SoftplusKernels.Forward, x.Length, x.Length, x.View, y.View);
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

public static class SoftplusKernels
{
    /// <summary>y = max(x, 0) + log(1 + exp(−|x|)). x, y are (n).</summary>
    [Kernel]
    public static void Forward(int n, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            float v = x[i];
            y[i] = XMath.Max(v, 0f) + XMath.Log(1f + XMath.Exp(-XMath.Abs(v)));
        }
    }
}

/// <summary>Double-precision reference of <see cref="Ops.Softplus"/> and <see cref="Ops.SoftplusGrad"/>.</summary>
public static class SoftplusReference
{
    public static double[] Forward(double[] x) => x.Select(v => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)))).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => g[i] * SigmoidReference.Sigma(v)).ToArray();

    public static (double[] dg, double[] dx) GradBackward(double[] g, double[] x, double[] h)
        => (h.Select((v, i) => v * SigmoidReference.Sigma(x[i])).ToArray(),
            h.Select((v, i) => v * g[i] * SigmoidReference.Sigma(x[i]) * (1 - SigmoidReference.Sigma(x[i]))).ToArray());
}
