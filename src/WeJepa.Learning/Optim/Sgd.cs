using System.Numerics;
using ILGPU;
using WeJepa.Learning.Devices;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Optim;

/// <summary>
/// SGD with momentum, <c>torch.optim.SGD</c>'s update (dampening 0, not Nesterov): g ← g + wd·p on the
/// parameters whose spec decays (coupled L2, as PyTorch's SGD), b ← μ·b + g (b starts at 0, so the first b is g), p ← p − lr·b.
/// </summary>
public sealed class Sgd : IDisposable
{
    readonly ParameterStore parameters;
    readonly Tensor momentumBuffer; // b, (Length)

    public double Momentum { get; }

    public Sgd(ParameterStore parameters, double momentum = 0.9)
    {
        if (momentum is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1)");
        this.parameters = OptimizerStores.Check("SGD", [parameters])[0];
        Momentum = momentum;
        momentumBuffer = parameters.NewStateBuffer();
    }

    public void Step(double lr, double weightDecay = 0.0)
    {
        var s = new SgdScalars(checked((int)parameters.Layout.Length), (float)lr, (float)weightDecay, (float)Momentum);
        var device = parameters.Device;
        var (p, g, b) = (parameters.Values.View, parameters.Grads.View, momentumBuffer.View);
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            foreach (var run in parameters.Layout.Runs)
            {
                var (offset, wd) = ((int)run.Offset, run.Decay ? s.WeightDecay : 0f);
                HostLoops.For(run.Length, (start, count) => SgdHost(s, wd, offset + start, count, device.HostSpan(p), device.HostSpan(g), device.HostSpan(b)));
            }
        }
        else device.Launch(SgdKernel, s.N, s, p, g, b, parameters.DecayMask.UInt8View);
        parameters.Values.MarkModified();
    }

    public readonly record struct SgdScalars(int N, float Lr, float WeightDecay, float Momentum);

    /// <summary>param, grad, buf are (N) float32; decay is (N) uint8, 1 where weight decay applies.</summary>
    [Kernel]
    public static void SgdKernel(SgdScalars s, ArrayView<float> param, ArrayView<float> grad, ArrayView<float> buf, ArrayView<byte> decay)
    {
        for (int i = GridStride.Start; i < s.N; i += GridStride.Step)
        {
            float g = decay[i] != 0 ? grad[i] + s.WeightDecay * param[i] : grad[i];
            float b = s.Momentum * buf[i] + g;
            buf[i] = b;
            param[i] -= s.Lr * b;
        }
    }

    /// <summary>The CPU accelerator's path over elements [start, start + count) of one decay run (<paramref name="weightDecay"/> 0 where none applies).</summary>
    static void SgdHost(SgdScalars s, float weightDecay, int start, int count, Span<float> param, Span<float> grad, Span<float> buf)
    {
        for (int i = start; i < start + count; i++)
        {
            float g = grad[i] + weightDecay * param[i];
            float b = s.Momentum * buf[i] + g;
            buf[i] = b;
            param[i] -= s.Lr * b;
        }
    }

    public void Dispose() => momentumBuffer.Dispose();
}
