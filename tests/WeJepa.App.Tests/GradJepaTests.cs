using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// <c>wejepa grad</c> for the JEPA models against tests/fixtures/make_jepa_fixtures.py: the loss and every gradient
/// (zeros for a frozen target encoder) match PyTorch's float64 run to atol 1e-4·max|g| + rtol 1e-3; bad batches and
/// weights of another architecture are one error naming file, tensor and value, exit 2, nothing written.
/// </summary>
public class GradJepaTests : TempFolderTest
{
    static string Fixture(string model, string part) => Repository.File("tests", "fixtures", $"jepa-{model}-{part}.safetensors");

    string Out => Path.Combine(Dir, "g.safetensors");

    (int Code, string Out, string Err) Grad(string model, string weights, string batch, params string[] extra) => Cli.Run([
        "grad", "--model", model, "--weights", weights, "--batch", batch, "--out", Out, "--device", "cpu", .. extra]);

    [TestCase("vit", "vit")]
    [TestCase("vjepa", "vjepa")]
    [TestCase("vjepa", "vjepa", "--activation", "relu")]
    [TestCase("ijepa", "ijepa")]
    [TestCase("video-jepa", "videojepa")]
    public void WritesLossAndEveryGradientMatchingPyTorch(string model, string fixture, params string[] extra)
    {
        var (code, stdout, stderr) = Grad(model, Fixture(fixture, "weights"), Fixture(fixture, "batch"), ["--heads", "4", .. extra]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("g.safetensors"));
        var written = Safetensors.Read(Out).Tensors;
        var expected = Safetensors.Read(Fixture(fixture, "expected")).Tensors;
        // every state_dict tensor but the fixed sin-cos tables (constants: PyTorch's requires_grad=False parameters)
        var parameters = Safetensors.Read(Fixture(fixture, "weights")).Tensors.Keys
            .Where(k => model == "vit" || model == "vjepa" || !k.EndsWith("pos_embed", StringComparison.Ordinal));
        Assert.That(written.Keys, Is.EquivalentTo(new[] { "loss" }.Concat(parameters)));
        Assert.That(written.Keys.First(), Is.EqualTo("loss"));
        GradTests.MatchPyTorch(written, expected);
        if (model is "ijepa" or "video-jepa")
            Assert.That(written["target_encoder.blocks.0.attn.qkv.weight"].ToFloat32(), Is.All.Zero, "the EMA teacher has no gradient");
    }

    [Test]
    public void SinCosTablesMayBeLeftOutAndAreRecomputed()
    {
        var (code, _, err) = Grad("ijepa", Fixture("ijepa", "weights"), Fixture("ijepa", "batch"), "--heads", "4");
        Assert.That(code, Is.Zero, err);
        var withTables = Safetensors.Read(Out).Tensors;
        var weights = Path.Combine(Dir, "w.safetensors");
        Safetensors.Write(weights, Safetensors.Read(Fixture("ijepa", "weights")).Tensors.Where(t => !t.Key.EndsWith("pos_embed", StringComparison.Ordinal)));
        (code, _, err) = Grad("ijepa", weights, Fixture("ijepa", "batch"), "--heads", "4");
        Assert.That(code, Is.Zero, err);
        var recomputed = Safetensors.Read(Out).Tensors;
        Assert.That(recomputed.Keys, Is.EquivalentTo(withTables.Keys));
        foreach (var (name, tensor) in recomputed)
            Assert.That(tensor.ToFloat32(), Is.EqualTo(withTables[name].ToFloat32()), $"{name}: the recomputed tables are PyTorch's, bit for bit");
    }

    /// <summary>A copy of <paramref name="fixture"/>'s batch with tensor <paramref name="name"/> replaced.</summary>
    string Batch(string fixture, string name, SafetensorsTensor tensor)
    {
        var path = Path.Combine(Dir, "batch.safetensors");
        Safetensors.Write(path, Safetensors.Read(Fixture(fixture, "batch")).Tensors.Select(t => t.Key == name ? KeyValuePair.Create(name, tensor) : t));
        return path;
    }

    static SafetensorsTensor Indices(string fixture, string name, Func<long[], long[]> edit)
    {
        var t = Safetensors.Read(Fixture(fixture, "batch")).Tensors[name];
        return SafetensorsTensor.FromInt64(edit(t.ToInt64()), t.Shape);
    }

    static long[] Set(long[] values, int at, long value)
    {
        values[at] = value;
        return values;
    }

    static IEnumerable<TestCaseData> BadInputs()
    {
        yield return new TestCaseData("ijepa", "images", SafetensorsTensor.FromFloat32(new float[2 * 3 * 30 * 32], 2, 3, 30, 32), "--heads 4",
            "tensor 'images': patch tokenizer: image size 30×32 is not a positive multiple of the patch 8").SetName("image not a multiple of the patch");
        yield return new TestCaseData("ijepa", "context_index", Indices("ijepa", "context_index", v => Set(v, 1, 16)), "--heads 4",
            "tensor 'context_index': token index: sample 0 lists token 16, outside 0..15").SetName("context index out of range");
        yield return new TestCaseData("ijepa", "context_index", Indices("ijepa", "context_index", v => Set(v, 1, v[0])), "--heads 4",
            "tensor 'context_index': token index: sample 0 lists token").SetName("context index duplicated");
        yield return new TestCaseData("video-jepa", "target_index", Indices("videojepa", "target_index", v => Set(v, 3, -1)), "--heads 4",
            "tensor 'target_index': token index: sample 0 lists token -1, outside 0..31").SetName("target index negative");
        yield return new TestCaseData("vit", "context_index", Indices("vit", "context_index", v => Set(v, 5, v[4])), "--heads 4",
            "tensor 'context_index': token index: sample 0 lists token").SetName("vit index duplicated");
        yield return new TestCaseData("vjepa", "context_mask", new SafetensorsTensor(SafetensorsDType.U8, [2, 16], Enumerable.Repeat((byte)2, 32).ToArray()), "--heads 4",
            "tensor 'context_mask' holds 2 at element 0; a mask holds 0 or 1").SetName("vjepa mask not boolean");
        yield return new TestCaseData("vjepa", "target_mask", new SafetensorsTensor(SafetensorsDType.BOOL, [2, 9], new byte[18]), "--heads 4",
            "tensor 'target_mask' has shape (2, 9), expected (2, 16): one flag per token").SetName("vjepa mask of another grid");
        yield return new TestCaseData("ijepa", "context_index", SafetensorsTensor.FromFloat32(new float[12], 2, 6), "--heads 4",
            "tensor 'context_index' has dtype F32, expected I64 or I32 (token indices)").SetName("float indices");
        yield return new TestCaseData("ijepa", "images", SafetensorsTensor.FromFloat32(new float[2 * 3 * 32 * 32], 2, 3, 32, 32), "--heads 5",
            "--heads 5 must be positive and divide the model width D = 64").SetName("heads not dividing D");
    }

    [TestCaseSource(nameof(BadInputs))]
    public void BadInputIsOneClearErrorAndNothingIsWritten(string model, string name, SafetensorsTensor tensor, string heads, string message)
    {
        string fixture = model.Replace("-", "");
        var (code, _, err) = Grad(model, Fixture(fixture, "weights"), Batch(fixture, name, tensor), heads.Split(' '));
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.Contain(message));
        Assert.That(err.Trim().Split('\n'), Has.Length.EqualTo(1), "one error line");
        Assert.That(File.Exists(Out), Is.False, "nothing written");
    }

    [TestCase("ijepa", "vjepa", "these are V-JEPA (--model vjepa) weights, not I-JEPA (--model ijepa)")]
    [TestCase("video-jepa", "ijepa", "these are I-JEPA (--model ijepa) weights, not video JEPA (--model video-jepa)")]
    [TestCase("vjepa", "vit", "these are ViT (--model vit) weights, not V-JEPA (--model vjepa)")]
    public void WeightsOfAnotherArchitectureAreNamed(string model, string weights, string message)
    {
        var (code, _, err) = Grad(model, Fixture(weights, "weights"), Fixture(model.Replace("-", ""), "batch"), "--heads", "4");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("jepa-" + weights + "-weights.safetensors: " + message));
        Assert.That(File.Exists(Out), Is.False);
    }

    [Test]
    public void FlagsAreCheckedAgainstTheModel()
    {
        Assert.That(Grad("ijepa", Fixture("ijepa", "weights"), Fixture("ijepa", "batch")).Err, Does.Contain("--model ijepa needs --heads H"));
        Assert.That(Grad("ijepa", Fixture("ijepa", "weights"), Fixture("ijepa", "batch"), "--heads", "4", "--activation", "gelu").Err,
            Does.Contain("--activation applies to --model vjepa only"));
        Assert.That(Grad("ijepa", Fixture("ijepa", "weights"), Fixture("ijepa", "batch"), "--heads", "64").Err,
            Does.Contain("--heads 64 must divide the predictor width Dp = 32"));
    }

    [Test]
    public void AChangedSinCosTableIsRejected()
    {
        var weights = Path.Combine(Dir, "w.safetensors");
        Safetensors.Write(weights, Safetensors.Read(Fixture("ijepa", "weights")).Tensors.Select(t => t.Key == "encoder.pos_embed"
            ? KeyValuePair.Create(t.Key, SafetensorsTensor.FromFloat32(t.Value.ToFloat32().Select(v => v + 0.5f).ToArray(), t.Value.Shape))
            : t));
        var (code, _, err) = Grad("ijepa", weights, Fixture("ijepa", "batch"), "--heads", "4");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("'encoder.pos_embed' is the fixed sin-cos table, but element 0 is"));
    }
}
