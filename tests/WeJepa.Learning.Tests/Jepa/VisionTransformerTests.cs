using WeJepa.Core.IO;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Models;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// The ViT encoder against make_jepa_fixtures.py (32×32, patch 8, D 64, depth 2, heads 4; PyTorch in float64):
/// <c>vit</c> = ijepa's VisionTransformer with a learned pos-embed on a subset of 10 of 16 tokens, <c>vitconv</c> = the
/// same encoder on the convolutional tokenizer with the fixed sin-cos table. Tolerances (float32 against float64):
/// loss rtol 1e-5; gradients atol 1e-4·max|g| + rtol 1e-3; attention probabilities atol 1e-5; 10 AdamW losses and
/// pre-clip norms rtol 1e-4.
/// </summary>
public class VisionTransformerTests(DeviceSpec spec) : DeviceTest(spec)
{
    static VisionTransformer Vit() => VisionTransformer.WithPatches(3, 32, 8, 64, 2, 4, PositionEmbedding.Learned);
    static VisionTransformer VitConv() => VisionTransformer.WithConvStem(3, 32, [16, 32, 64], 64, 2, 4, PositionEmbedding.SinCos);

    ParameterStore Loaded(ModelParity parity, VisionTransformer vit)
    {
        var store = ParameterStore.Create(Device, vit.Parameters, seed: 0);
        parity.LoadWeights(store, vit.Constants.ToArray());
        return store;
    }

    static TokenIndex Index(ModelParity parity, string name, int tokens)
    {
        var t = Safetensors.Read(parity.BatchPath).Get(parity.BatchPath, name);
        var shape = t.ShapeAsInt();
        return new TokenIndex(shape[0], shape[1], t.ToInt64().Select(v => (int)v).ToArray(), tokens);
    }

    Func<Tensor> Loss(ModelParity parity, VisionTransformer vit, ParameterStore p, bool subset)
    {
        var images = parity.Batch(Device, "images");
        var target = parity.Batch(Device, "target");
        var keep = subset ? Index(parity, "context_index", vit.Tokens) : null;
        return () => Learning.Ops.MseLoss(vit.Forward(p, images, keep), target);
    }

    [TestCase("vit")]
    [TestCase("vitconv")]
    public void LossEveryGradientAndAttentionMatchPyTorch(string model)
    {
        var parity = new ModelParity(model, "jepa");
        var vit = model == "vit" ? Vit() : VitConv();
        using var p = Loaded(parity, vit);
        vit.RecordAttention = true;
        parity.CheckLossAndGradients(p, Loss(parity, vit, p, model == "vit"), lossRtol: 1e-5, gradAtol: 1e-4, gradRtol: 1e-3);
        Assert.That(vit.LastAttention, Has.Count.EqualTo(2));
        for (int i = 0; i < 2; i++)
            Check.Close(vit.LastAttention[i], parity.Expected($"attention.blocks.{i}"), 1e-5, 0, $"{model}: attention of block {i}");
    }

    [TestCase("vit")]
    [TestCase("vitconv")]
    public void TenAdamWStepsMatchPyTorch(string model)
    {
        var parity = new ModelParity(model, "jepa");
        var vit = model == "vit" ? Vit() : VitConv();
        using var p = Loaded(parity, vit);
        parity.CheckAdamWSteps(p, Loss(parity, vit, p, model == "vit"), rtol: 1e-4);
    }

    [Test]
    public void AttentionRecordingIsOffByDefault()
    {
        var vit = Vit();
        using var p = ParameterStore.Create(Device, vit.Parameters, seed: 1);
        vit.Forward(p, Tensor.Zeros(Device, 1, 3, 32, 32));
        Assert.That(vit.RecordAttention, Is.False);
        Assert.That(vit.LastAttention, Is.Empty);
    }

    [Test]
    public void BadInputsAreClearErrorsBeforeAnyKernel()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => VisionTransformer.WithPatches(3, 32, 8, 64, 2, 5, PositionEmbedding.Learned))!.Message,
            Does.Contain("heads 5 must divide the width 64"));
        Assert.That(Assert.Throws<ShapeError>(() => VisionTransformer.WithPatches(3, 30, 8, 64, 2, 4, PositionEmbedding.Learned))!.Message,
            Does.Contain("30×30 is not a positive multiple of the patch 8"));
        // another image size resizes a learned image table (PositionResizeTests), never a learned space-time one
        var learnedVideo = VisionTransformer.WithTubelets(4, 3, 32, 2, 8, 64, 1, 4, PositionEmbedding.Learned);
        using var pl = ParameterStore.Create(Device, learnedVideo.Parameters, seed: 1);
        Assert.That(Assert.Throws<ShapeError>(() => learnedVideo.Forward(pl, Tensor.Zeros(Device, 1, 6, 3, 32, 32)))!.Message,
            Does.Contain("3×4×4 token grid, the model has 2×4×4 (a learned space-time table does not resize)"));
        var video = VisionTransformer.WithTubelets(4, 3, 32, 2, 8, 64, 1, 4, PositionEmbedding.SinCos);
        using var pv = ParameterStore.Create(Device, video.Parameters, seed: 1);
        Assert.That(Assert.Throws<ShapeError>(() => video.Forward(pv, Tensor.Zeros(Device, 1, 3, 3, 32, 32)))!.Message,
            Does.Contain("clip length 3 is not a positive multiple of the tubelet 2"));
        Assert.That(Assert.Throws<ShapeError>(() => _ = new TokenIndex(1, 2, [3, 16], 16))!.Message, Does.Contain("token 16, outside 0..15"));
        Assert.That(Assert.Throws<ShapeError>(() => _ = new TokenIndex(2, 2, [3, 4, 5, 5], 16))!.Message, Does.Contain("sample 1 lists token 5 twice"));
    }
}
