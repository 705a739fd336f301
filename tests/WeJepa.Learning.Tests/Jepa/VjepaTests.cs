using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// The seed's V-JEPA against make_jepa_fixtures.py (32×32, patch 8, D 64, depth 2, heads 4, predictor width 32, ReLU,
/// dropout 0; block masks of 2×2, random masking at 0.75). Tolerances (float32 against float64): loss rtol 1e-5;
/// gradients atol 1e-4·max|g| + rtol 1e-3; attention atol 1e-5; 10 AdamW steps rtol 1e-4.
/// </summary>
public class VjepaTests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly MultiStoreParity parity = new("vjepa");
    static Vjepa Model() => new(3, 32, 8, 64, 2, 4, 32);

    ContextTargetMasks Masks() => parity.VjepaMasks();

    [Test]
    public void LossEveryGradientAndAttentionMatchPyTorch()
    {
        var m = Model();
        using var p = parity.Load(Device, m.Parameters, []);
        using var t = parity.Load(Device, m.TargetParameters, []);
        var images = parity.Batch(Device, "images");
        m.RecordAttention = true;
        parity.CheckLossAndGradients([p], () => m.Loss(p, t, images, Masks()), 1e-5, 1e-4, 1e-3);
        for (int i = 0; i < 2; i++)
        {
            Check.Close(m.ContextAttention[i], parity.Expected($"attention.context_encoder.layers.{i}"), 1e-5, 0, $"context attention {i}");
            Check.Close(m.TargetAttention[i], parity.Expected($"attention.target_encoder.layers.{i}"), 1e-5, 0, $"target attention {i}");
        }
    }

    [Test]
    public void TenAdamWStepsMatchPyTorch()
    {
        var m = Model();
        using var p = parity.Load(Device, m.Parameters, []);
        using var t = parity.Load(Device, m.TargetParameters, []);
        var images = parity.Batch(Device, "images");
        var masks = Masks();
        parity.CheckAdamWSteps([p], () => m.Loss(p, t, images, masks), () => { }, 1e-4);
    }
}
