using WeJepa.Training.Dynamics;

namespace WeJepa.Training.Tests.Learning;

/// <summary>The HNN paper's pendulum table at reduced size (1 seed, 300 steps, hidden 64; the full one is `bench dynamics`).</summary>
public class HnnPendulumProtocolTests
{
    [Test]
    public void HnnEnergyMseBeatsTheBaselines()
    {
        var results = HnnPendulumProtocol.Run(CpuDevice.Instance, new HnnPendulumOptions(Seeds: 1, Steps: 300, Hidden: 64));
        var (mlp, hnn) = (results.Single(r => r.Model == "mlp"), results.Single(r => r.Model == "hnn"));
        TestContext.Out.WriteLine($"energy MSE (q²+p²): baseline {mlp.EnergyMseQuadratic:e3}, HNN {hnn.EnergyMseQuadratic:e3}; true H: {mlp.EnergyMseTrue:e3}, {hnn.EnergyMseTrue:e3}");
        Assert.That(hnn.EnergyMseQuadratic, Is.LessThan(mlp.EnergyMseQuadratic));
        Assert.That(hnn.EnergyMseTrue, Is.LessThan(mlp.EnergyMseTrue));
        Assert.That(hnn.TestLoss, Is.LessThan(0.1), "the HNN learned the field (noise σ 0.1 alone gives a loss of ~0.03)");
    }

    [Test]
    public void InitialStatesLieOnTheProtocolsRadii()
    {
        var states = HnnPendulumProtocol.InitialStates(200, seed: 4);
        for (int i = 0; i < 200; i++)
        {
            double r = Math.Sqrt(states[2 * i] * states[2 * i] + states[2 * i + 1] * states[2 * i + 1]);
            Assert.That(r, Is.InRange(1.3 - 1e-5, 2.3 + 1e-5));
        }
    }
}
