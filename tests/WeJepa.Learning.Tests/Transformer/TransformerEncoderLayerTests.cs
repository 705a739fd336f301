using WeJepa.Learning.Models;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

/// <summary>
/// Model parity with PyTorch (llm.c's test_gpt2 pattern) at B=2, N=16, D=32, H=4: the layer's output, the loss
/// mean((layer(x) − target)²), the input gradient and every named parameter gradient, with and without a key
/// padding mask; then PatchEmbed + layer through 10 AdamW steps. Tolerances (float32): 2e-5 absolute + 1e-4
/// relative on outputs and gradients; 1e-5 relative on the AdamW losses.
/// </summary>
public class TransformerEncoderLayerTests(DeviceSpec spec) : DeviceTest(spec)
{
    static readonly string[] StateDictNames =
    [
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
        "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
    ];

    [Test]
    public void ParametersCarryPyTorchStateDictNamesAndShapes()
    {
        var layer = new TransformerEncoderLayer(32, 4);
        Assert.That(layer.Parameters.Select(p => p.Name), Is.EqualTo(StateDictNames));
        foreach (var p in layer.Parameters)
            Assert.That(p.Shape, Is.EqualTo(Shape($"layer.param.{p.Name}")), p.Name);
        Assert.That(new PatchEmbed(3, 32, 4, "patch_embed.").Parameters.Select(p => p.Name), Is.EqualTo(new[] { "patch_embed.proj.weight", "patch_embed.proj.bias" }));
    }

    [TestCase("nomask")]
    [TestCase("mask")]
    public void LossOutputAndEveryGradientMatchPyTorch(string tag)
    {
        var layer = new TransformerEncoderLayer(32, 4);
        using var store = ParameterStore.Create(Device, layer.Parameters, seed: 1);
        LoadParameters(store, "layer.param.");
        var x = Load(Device, "layer.x", requiresGrad: true);
        var y = layer.Forward(store, x, tag == "mask" ? Load(Device, "layer.mask") : null);
        var loss = Learning.Ops.MseLoss(y, Load(Device, "layer.target"));
        Check.Close(y, Values($"layer.{tag}.y"), 2e-5, 1e-4, $"{tag}: layer output");
        Check.Close(loss, Values($"layer.{tag}.loss"), 0, 1e-5, $"{tag}: loss");
        store.ZeroGrad();
        Autograd.Backward(loss);
        Check.Close(x.Grad!, Values($"layer.{tag}.dx"), 2e-5, 1e-4, $"{tag}: dloss/dx");
        foreach (var name in StateDictNames)
            Check.Close(store.GetGrad(name), Values($"layer.{tag}.grad.{name}"), 2e-5, 1e-4, $"{tag}: dloss/d{name}");
    }

    [Test]
    public void PatchEmbedPlusLayerFollowsPyTorchThroughTenAdamWSteps()
    {
        var patch = new PatchEmbed(3, 32, 4, "patch_embed.");
        var layer = new TransformerEncoderLayer(32, 4, prefix: "layer.");
        using var store = ParameterStore.Create(Device, patch.Parameters.Concat(layer.Parameters), seed: 1);
        LoadParameters(store, "adamw.param.");
        using var adamw = new AdamW(store);
        var images = Load(Device, "adamw.x");
        var target = Load(Device, "adamw.target");
        var expected = Values("adamw.losses");
        var tape = new Tape(Device);
        for (int step = 0; step < expected.Length; step++)
            tape.Step(() =>
            {
                store.ZeroGrad();
                var loss = Learning.Ops.MseLoss(layer.Forward(store, patch.Forward(store, images)), target);
                Assert.That(loss.Item(), Is.EqualTo(expected[step]).Within(1e-5 * expected[step]), $"loss at step {step}");
                Autograd.Backward(loss);
                adamw.Step(lr: 1e-3, weightDecay: 0.05);
            });
    }

    [Test]
    public void BadInputNamesTheLayer()
    {
        var layer = new TransformerEncoderLayer(32, 4);
        using var store = ParameterStore.Create(Device, layer.Parameters, seed: 1);
        Assert.That(Assert.Throws<ShapeError>(() => layer.Forward(store, Tensor.Zeros(Device, 2, 5, 16)))!.Message,
            Does.Contain("TransformerEncoderLayer").And.Contain("[2, 5, 16]"));
        Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(30, 4));
    }

    // copies every fixture tensor "<prefix><name>" into the store's parameter "<name>" (all of them must exist)
    static void LoadParameters(ParameterStore store, string prefix)
    {
        foreach (var e in store.Layout.Entries)
            store.Set(e.Name, Values(prefix + e.Name).Select(v => (float)v).ToArray());
    }
}
