using WeJepa.Learning.Models;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

public class MlpTests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly ModelParity parity = new("mlp");

    Mlp LoadedModel()
    {
        var mlp = new Mlp(Device);
        parity.LoadWeights(mlp.Parameters);
        return mlp;
    }

    [Test]
    public void LossAndEveryGradientMatchPyTorch()
    {
        using var mlp = LoadedModel();
        var (x, dxdt) = (parity.Batch(Device, "x"), parity.Batch(Device, "dxdt"));
        parity.CheckLossAndGradients(mlp.Parameters, () => mlp.Loss(x, dxdt), lossRtol: 1e-5, gradAtol: 1e-5, gradRtol: 1e-3);
    }

    [Test]
    public void TenAdamWStepsMatchPyTorch()
    {
        using var mlp = LoadedModel();
        var (x, dxdt) = (parity.Batch(Device, "x"), parity.Batch(Device, "dxdt"));
        parity.CheckAdamWSteps(mlp.Parameters, () => mlp.Loss(x, dxdt), rtol: 1e-4);
    }
}
