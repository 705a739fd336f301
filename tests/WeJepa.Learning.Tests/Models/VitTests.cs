using WeJepa.Learning.Models;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

/// <summary>
/// PatchEmbed(3→32, patch 4) on 16×16 images + one pre-norm GELU encoder layer (H = 4) as a model: loss, every
/// named gradient, and 10 AdamW steps with weight-decay grouping and global-norm clipping, against PyTorch.
/// </summary>
public class VitTests(DeviceSpec spec) : DeviceTest(spec)
{
    readonly ModelParity parity = new("vit");
    readonly PatchEmbed patch = new(3, 32, 4, "patch_embed.");
    readonly TransformerEncoderLayer layer = new(32, 4, prefix: "layer.");

    ParameterStore LoadedParameters()
    {
        var store = ParameterStore.Create(Device, patch.Parameters.Concat(layer.Parameters), seed: 0);
        parity.LoadWeights(store);
        return store;
    }

    Tensor Loss(ParameterStore p, Tensor images, Tensor target)
    {
        var error = Learning.Ops.Sub(layer.Forward(p, patch.Forward(p, images)), target);
        return Learning.Ops.Mean(Learning.Ops.Mul(error, error));
    }

    [Test]
    public void LossAndEveryGradientMatchPyTorch()
    {
        using var p = LoadedParameters();
        var (images, target) = (parity.Batch(Device, "img"), parity.Batch(Device, "target"));
        parity.CheckLossAndGradients(p, () => Loss(p, images, target), lossRtol: 1e-5, gradAtol: 1e-4, gradRtol: 1e-3);
    }

    [Test]
    public void TenAdamWStepsMatchPyTorch()
    {
        using var p = LoadedParameters();
        var (images, target) = (parity.Batch(Device, "img"), parity.Batch(Device, "target"));
        parity.CheckAdamWSteps(p, () => Loss(p, images, target), rtol: 1e-4);
    }
}
