using WeJepa.Learning.Models;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

/// <summary>LNN (one degree of freedom, hidden 256): the Euler–Lagrange residual loss, its gradients and the acceleration solve against PyTorch.</summary>
public class LnnTests(DeviceSpec spec) : LnnParityTest(spec, "lnn", hidden: 256, degrees: 1);

/// <summary>LNN with two degrees of freedom (hidden 64): residual loss, gradients, AdamW steps and the 2×2 acceleration solve.</summary>
public class Lnn2Tests(DeviceSpec spec) : LnnParityTest(spec, "lnn2", hidden: 64, degrees: 2);

/// <summary>The LNN parity tests, run against the PyTorch fixture <c>models-{fixture}-*.safetensors</c>.</summary>
public abstract class LnnParityTest(DeviceSpec spec, string fixture, int hidden, int degrees) : DeviceTest(spec)
{
    readonly ModelParity parity = new(fixture);

    Lnn LoadedModel()
    {
        var lnn = new Lnn(Device, hidden: hidden, degrees: degrees);
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
        var states = parity.Expected("accel_qv"); // (N, 2·degrees): q then v
        var qdd = lnn.Acceleration(Tensor.FromArray(Device, states.Select(x => (float)x).ToArray(), states.Length / (2 * degrees), 2 * degrees));
        Assert.That(qdd.Shape, Is.EqualTo(new[] { states.Length / (2 * degrees), degrees }));
        Check.Close(qdd, parity.Expected("accel_qdd"), 1e-4, 1e-3, $"{fixture}: acceleration");
    }
}
