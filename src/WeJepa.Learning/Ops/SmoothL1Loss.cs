using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// PyTorch's smooth_l1_loss (mean): per element d = p − t, 0.5·d²/β where |d| &lt; β, else |d| − 0.5·β.
    /// Backward: mean of clamp(d/β, −1, 1) (first order only: its second derivative is a step function).
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor prediction, Tensor target, float beta = 1f)
    {
        if (!Shapes.Equal(prediction.Shape, target.Shape))
            throw new ShapeError($"smooth_l1_loss: prediction {Shapes.Format(prediction.Shape)} and target {Shapes.Format(target.Shape)} differ");
        if (!(beta > 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "smooth_l1_loss: beta must be > 0");
        Tensor loss;
        var device = prediction.Device;
        int n = prediction.Length;
        using (Autograd.NoGrad(device))
        {
            var terms = Tensor.Empty(device, prediction.Shape);
            if (device.UseHostLoops)
                HostLoops.For(n, (s, c) =>
                {
                    var p = prediction.HostSpan.Slice(s, c); var t = target.HostSpan.Slice(s, c); var o = terms.HostSpan.Slice(s, c);
                    for (int i = 0; i < c; i++)
                    {
                        float d = MathF.Abs(p[i] - t[i]);
                        o[i] = d < beta ? 0.5f * d * d / beta : d - 0.5f * beta;
                    }
                });
            else device.Launch(SmoothL1Kernels.Terms, n, n, beta, prediction.View, target.View, terms.View);
            loss = Mean(terms);
        }
        return Tape.Record("smooth_l1_loss", loss, [prediction, target], (g, needs) =>
        {
            if (Autograd.IsGradEnabled(device))
                throw new NotSupportedException("smooth_l1_loss has no second derivative here: do not differentiate its gradient again");
            var dp = Tensor.Empty(device, prediction.Shape);
            if (device.UseHostLoops)
            {
                float scale = g.Item() / n;
                HostLoops.For(n, (s, c) =>
                {
                    var p = prediction.HostSpan.Slice(s, c); var t = target.HostSpan.Slice(s, c); var o = dp.HostSpan.Slice(s, c);
                    for (int i = 0; i < c; i++) o[i] = scale * Math.Clamp((p[i] - t[i]) / beta, -1f, 1f);
                });
            }
            else device.Launch(SmoothL1Kernels.Backward, n, n, beta, g.View, prediction.View, target.View, dp.View);
            return [needs[0] ? dp : null, needs[1] ? Neg(dp) : null];
        }, prediction, target);
    }
}

public static class SmoothL1Kernels
{
    /// <summary>o = smooth-L1 term of p − t. p, t, o are (n).</summary>
    [Kernel]
    public static void Terms(int n, float beta, ArrayView<float> p, ArrayView<float> t, ArrayView<float> o)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            float d = XMath.Abs(p[i] - t[i]);
            o[i] = d < beta ? 0.5f * d * d / beta : d - 0.5f * beta;
        }
    }

    /// <summary>dp = g[0]/n · clamp((p − t)/β, −1, 1). g is (1), p, t, dp are (n).</summary>
    [Kernel]
    public static void Backward(int n, float beta, ArrayView<float> g, ArrayView<float> p, ArrayView<float> t, ArrayView<float> dp)
    {
        float scale = g[0] / n;
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
            dp[i] = scale * XMath.Clamp((p[i] - t[i]) / beta, -1f, 1f);
    }
}
