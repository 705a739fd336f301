using WeJepa.Learning.Models;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

/// <summary>LNN: the Euler–Lagrange residual loss, its gradients and the acceleration solve against PyTorch.</summary>
public class LnnTests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly ModelParity parity = new("lnn");

    Lnn LoadedModel()
    {
        var lnn = new Lnn(Device);
        parity.LoadWeights(lnn.Parameters);
        return lnn;
    }

    [Test]
    public void LossAndEveryGradientMatchPyTorch()
    {
        using var lnn = LoadedModel();
        var (q, v, dt) = (parity.Batch(Device, "q"), parity.Batch(Device, "v"), parity.Batch(Device, "dt").Item());
        parity.CheckLossAndGradients(lnn.Parameters, () => lnn.ResidualLoss(q, v, dt), lossRtol: 1e-4, gradAtol: 1e-5, gradRtol: 1e-3);
    }

    [Test]
    public void TenAdamWStepsMatchPyTorch()
    {
        using var lnn = LoadedModel();
        var (q, v, dt) = (parity.Batch(Device, "q"), parity.Batch(Device, "v"), parity.Batch(Device, "dt").Item());
        parity.CheckAdamWSteps(lnn.Parameters, () => lnn.ResidualLoss(q, v, dt), rtol: 1e-3);
    }

    [Test]
    public void AccelerationSolveMatchesPyTorch()
    {
        using var lnn = LoadedModel();
        var qv = Tensor.FromArray(Device, parity.Expected("accel_qv").Select(x => (float)x).ToArray(), parity.Expected("accel_qv").Length / 2, 2);
        var qdd = lnn.Acceleration(qv);
        Assert.That(qdd.Shape, Is.EqualTo(new[] { qv.Shape[0], 1 }));
        Check.Close(qdd, parity.Expected("accel_qdd"), 1e-4, 1e-3, "lnn: acceleration");
    }
}

/// <summary>LNN with two degrees of freedom (hidden 64): residual loss, gradients, AdamW steps and the 2×2 acceleration solve.</summary>
public class Lnn2Tests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly ModelParity parity = new("lnn2");

    Lnn LoadedModel()
    {
        var lnn = new Lnn(Device, hidden: 64, degrees: 2);
        parity.LoadWeights(lnn.Parameters);
        return lnn;
    }

    [Test]
    public void LossAndEveryGradientMatchPyTorch()
    {
        using var lnn = LoadedModel();
        var (q, v, dt) = (parity.Batch(Device, "q"), parity.Batch(Device, "v"), parity.Batch(Device, "dt").Item());
        parity.CheckLossAndGradients(lnn.Parameters, () => lnn.ResidualLoss(q, v, dt), lossRtol: 1e-4, gradAtol: 1e-5, gradRtol: 1e-3);
    }

    [Test]
    public void TenAdamWStepsMatchPyTorch()
    {
        using var lnn = LoadedModel();
        var (q, v, dt) = (parity.Batch(Device, "q"), parity.Batch(Device, "v"), parity.Batch(Device, "dt").Item());
        parity.CheckAdamWSteps(lnn.Parameters, () => lnn.ResidualLoss(q, v, dt), rtol: 1e-3);
    }

    [Test]
    public void AccelerationSolveMatchesPyTorch()
    {
        using var lnn = LoadedModel();
        var states = parity.Expected("accel_qv");
        var qdd = lnn.Acceleration(Tensor.FromArray(Device, states.Select(x => (float)x).ToArray(), states.Length / 4, 4));
        Assert.That(qdd.Shape, Is.EqualTo(new[] { states.Length / 4, 2 }));
        Check.Close(qdd, parity.Expected("accel_qdd"), 1e-4, 1e-3, "lnn2: acceleration");
    }
}
