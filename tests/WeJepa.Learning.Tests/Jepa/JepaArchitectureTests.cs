using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.TestSupport;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>The architecture read back from the committed PyTorch weights of make_jepa_fixtures.py, and the errors for files of another architecture.</summary>
public class JepaArchitectureTests
{
    static Dictionary<string, int[]> Shapes(string model)
    {
        string path = Repository.File("tests", "fixtures", $"jepa-{model}-weights.safetensors");
        return Safetensors.Read(path).Tensors.ToDictionary(t => t.Key, t => t.Value.ShapeAsInt());
    }

    [TestCase("vit", JepaKind.Vit)]
    [TestCase("vitconv", JepaKind.Vit)]
    [TestCase("vjepa", JepaKind.Vjepa)]
    [TestCase("ijepa", JepaKind.Ijepa)]
    [TestCase("videojepa", JepaKind.VideoJepa)]
    public void EachFixtureIsRecognised(string model, JepaKind kind) => Assert.That(JepaArchitecture.Recognise(Shapes(model)), Is.EqualTo(kind));

    [Test]
    public void SizesComeFromTheShapes()
    {
        var vit = JepaArchitecture.FromShapes(JepaKind.Vit, Shapes("vit"), "vit");
        Assert.That((vit.Channels, vit.Dim, vit.Depth, vit.Patch, vit.Tubelet, vit.Hidden, vit.Tokens, vit.LearnedPosition), Is.EqualTo((3, 64, 2, 8, 1, 256, (int?)16, true)));
        var conv = JepaArchitecture.FromShapes(JepaKind.Vit, Shapes("vitconv"), "vitconv");
        Assert.That(conv.StemChannels, Is.EqualTo(new[] { 16, 32, 64 }));
        Assert.That(conv.Tokenizer().Grid([1, 3, 32, 32]), Is.EqualTo(TokenGrid.Image(4, 4)));
        var vj = JepaArchitecture.FromShapes(JepaKind.Vjepa, Shapes("vjepa"), "vjepa");
        Assert.That((vj.Dim, vj.Depth, vj.Patch, vj.Hidden, vj.PredictorDim, vj.Tokens), Is.EqualTo((64, 2, 8, 256, 32, (int?)16)));
        var ij = JepaArchitecture.FromShapes(JepaKind.Ijepa, Shapes("ijepa"), "ijepa");
        Assert.That((ij.Dim, ij.Depth, ij.Patch, ij.PredictorDim, ij.PredictorDepth, ij.LearnedPosition), Is.EqualTo((64, 2, 8, 32, 2, false)));
        var video = JepaArchitecture.FromShapes(JepaKind.VideoJepa, Shapes("videojepa"), "videojepa");
        Assert.That((video.Tubelet, video.Patch, video.Tokens), Is.EqualTo((2, 8, (int?)32)));
        Assert.That(video.Grid([2, 4, 3, 32, 32], "clips"), Is.EqualTo(new TokenGrid(2, 4, 4)));
    }

    [Test]
    public void BuiltModelsHaveTheFilesLayout()
    {
        var shapes = Shapes("ijepa");
        var arch = JepaArchitecture.FromShapes(JepaKind.Ijepa, shapes, "ijepa");
        var model = arch.Ijepa(4, arch.Grid([2, 3, 32, 32], "images"));
        foreach (var s in model.Encoder.Parameters.Concat(model.Predictor.Parameters))
            Assert.That(shapes[s.Name], Is.EqualTo(s.Shape), s.Name);
        var vj = JepaArchitecture.FromShapes(JepaKind.Vjepa, Shapes("vjepa"), "vjepa").Vjepa(4, relu: true);
        foreach (var s in vj.Parameters.Concat(vj.TargetParameters))
            Assert.That(Shapes("vjepa")[s.Name], Is.EqualTo(s.Shape), s.Name);
    }

    [TestCase("vjepa", JepaKind.Ijepa, "these are V-JEPA (--model vjepa) weights, not I-JEPA (--model ijepa)")]
    [TestCase("ijepa", JepaKind.VideoJepa, "these are I-JEPA (--model ijepa) weights, not video JEPA")]
    [TestCase("videojepa", JepaKind.Vit, "these are video JEPA (--model video-jepa) weights, not ViT")]
    [TestCase("vit", JepaKind.Vjepa, "these are ViT (--model vit) weights, not V-JEPA")]
    public void AnotherArchitecturesWeightsAreNamed(string model, JepaKind asKind, string message) =>
        Assert.That(Assert.Throws<UserError>(() => JepaArchitecture.FromShapes(asKind, Shapes(model), "w.safetensors"))!.Message,
            Does.StartWith("w.safetensors: " + message));

    [Test]
    public void UnrelatedWeightsAndGapsAreClearErrors()
    {
        var hnn = new Dictionary<string, int[]> { ["net.0.weight"] = [64, 2] };
        Assert.That(Assert.Throws<UserError>(() => JepaArchitecture.FromShapes(JepaKind.Ijepa, hnn, "w"))!.Message,
            Does.Contain("not I-JEPA (--model ijepa) weights: expected 'encoder.*'").And.Contain("'net.0.weight'"));
        var gap = Shapes("ijepa").Where(kv => !kv.Key.StartsWith("encoder.blocks.0.", StringComparison.Ordinal)).ToDictionary();
        Assert.That(Assert.Throws<UserError>(() => JepaArchitecture.FromShapes(JepaKind.Ijepa, gap, "w"))!.Message,
            Does.Contain("missing tensor 'encoder.blocks.0.norm1.weight'"));
        var stray = Shapes("vit").Where(kv => !kv.Key.StartsWith("blocks.1.", StringComparison.Ordinal)).ToDictionary();
        stray["blocks.3.norm1.weight"] = [64];
        Assert.That(Assert.Throws<UserError>(() => JepaArchitecture.FromShapes(JepaKind.Vit, stray, "w"))!.Message,
            Does.Contain("'blocks.3.norm1.weight' belongs to a layer after a gap (layers 0..0 are complete)"));
        var wide = Shapes("vit");
        wide["blocks.0.mlp.fc1.weight"] = [128, 64];
        Assert.That(Assert.Throws<UserError>(() => JepaArchitecture.FromShapes(JepaKind.Vit, wide, "w"))!.Message,
            Does.Contain("'blocks.0.mlp.fc1.weight' has shape (128, 64), expected (256, 64): ijepa's MLP of width 4·D"));
    }

    [Test]
    public void HeadsAndInputsAreCheckedAgainstTheWeights()
    {
        var ij = JepaArchitecture.FromShapes(JepaKind.Ijepa, Shapes("ijepa"), "ijepa");
        Assert.That(Assert.Throws<UserError>(() => ij.CheckHeads(5))!.Message, Is.EqualTo("--heads 5 must be positive and divide the model width D = 64"));
        Assert.That(Assert.Throws<UserError>(() => ij.CheckHeads(64))!.Message, Is.EqualTo("--heads 64 must divide the predictor width Dp = 32"));
        Assert.That(Assert.Throws<UserError>(() => ij.Grid([2, 3, 30, 32], "images"))!.Message, Does.Contain("images: patch tokenizer: image size 30×32 is not a positive multiple of the patch 8"));
        Assert.That(Assert.Throws<UserError>(() => ij.Grid([2, 3, 40, 40], "images"))!.Message, Is.EqualTo("images: shape (2, 3, 40, 40) gives 25 tokens, the weights' position table has 16"));
    }
}
