using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// <c>wejepa grad</c> end to end through <see cref="Program.Run"/>: for each model the written loss and every
/// gradient match the PyTorch fixture of tests/fixtures/make_model_fixtures.py; bad inputs fail clearly
/// and write nothing.
/// </summary>
public class GradTests
{
    string dir = "";

    [SetUp]
    public void SetUp() => dir = Directory.CreateTempSubdirectory("grad-test").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    static string Fixture(string name) => Repository.File("tests", "fixtures", name);

    (int Code, string Out, string Err) Grad(string model, string fixture, params string[] extra) => Cli.Run([
        "grad", "--model", model, "--weights", Fixture($"models-{fixture}-weights.safetensors"),
        "--batch", Fixture($"models-{fixture}-batch.safetensors"), "--out", Path.Combine(dir, "g.safetensors"), "--device", "cpu", .. extra]);

    [TestCase("hnn", "hnn")]
    [TestCase("lnn", "lnn")]
    [TestCase("lnn", "lnn2")]
    [TestCase("mlp", "mlp")]
    [TestCase("vit-layer", "vitlayer", "--heads", "4")]
    public void WritesLossAndEveryGradientMatchingPyTorch(string model, string fixture, params string[] extra)
    {
        var (code, stdout, stderr) = Grad(model, fixture, extra);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("g.safetensors"));
        var written = Safetensors.Read(Path.Combine(dir, "g.safetensors")).Tensors;
        var expected = Safetensors.Read(Fixture($"models-{fixture}-expected.safetensors")).Tensors;
        var weights = Safetensors.Read(Fixture($"models-{fixture}-weights.safetensors")).Tensors.Keys.Where(k => k != "J");
        Assert.That(written.Keys, Is.EqualTo(new[] { "loss" }.Concat(weights)), "loss, then every parameter in state_dict order");
        Assert.That(written["loss"].Shape, Is.EqualTo(new long[] { 1 }));
        foreach (var (name, tensor) in written)
        {
            Assert.That(tensor.Shape, Is.EqualTo(expected[name].Shape), name);
            var (a, e) = (tensor.ToFloat32(), expected[name].ToFloat64());
            double scale = e.Max(Math.Abs);
            for (int i = 0; i < a.Length; i++)
                Assert.That(Math.Abs(a[i] - e[i]), Is.LessThanOrEqualTo(1e-4 * scale + 1e-3 * Math.Abs(e[i]) + 1e-12), $"{name}[{i}]: {a[i]} vs PyTorch {e[i]}");
        }
    }

    [Test]
    public void WeightsOfAnotherModelAreRejectedNamingFileAndTensor()
    {
        var (code, _, err) = Cli.Run(["grad", "--model", "lnn", "--weights", Fixture("models-hnn-weights.safetensors"),
            "--batch", Fixture("models-lnn-batch.safetensors"), "--out", Path.Combine(dir, "g.safetensors"), "--device", "cpu"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("models-hnn-weights.safetensors").And.Contain("'J'"));
        Assert.That(Directory.GetFiles(dir), Is.Empty, "nothing written");
    }

    [Test]
    public void BatchWithWrongShapeIsRejected()
    {
        var batch = Path.Combine(dir, "batch.safetensors");
        Safetensors.Write(batch, [
            KeyValuePair.Create("x", SafetensorsTensor.FromFloat32(new float[6], 2, 3)),
            KeyValuePair.Create("dxdt", SafetensorsTensor.FromFloat32(new float[6], 2, 3)),
        ]);
        var (code, _, err) = Cli.Run(["grad", "--model", "mlp", "--weights", Fixture("models-mlp-weights.safetensors"),
            "--batch", batch, "--out", Path.Combine(dir, "g.safetensors"), "--device", "cpu"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("batch.safetensors: tensor 'x' has shape (2, 3), expected (B, 2)"));
        Assert.That(File.Exists(Path.Combine(dir, "g.safetensors")), Is.False);
    }

    [Test]
    public void BatchWithMissingTensorIsRejected()
    {
        var batch = Path.Combine(dir, "batch.safetensors");
        Safetensors.Write(batch, [KeyValuePair.Create("q", SafetensorsTensor.FromFloat32(new float[4], 1, 4, 1))]);
        var (code, _, err) = Cli.Run(["grad", "--model", "lnn", "--weights", Fixture("models-lnn-weights.safetensors"),
            "--batch", batch, "--out", Path.Combine(dir, "g.safetensors"), "--device", "cpu"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("no tensor named 'v'"));
    }

    [Test]
    public void TruncatedWeightsAreRejected()
    {
        var weights = Path.Combine(dir, "w.safetensors");
        var bytes = File.ReadAllBytes(Fixture("models-mlp-weights.safetensors"));
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);
        var (code, _, err) = Cli.Run(["grad", "--model", "mlp", "--weights", weights,
            "--batch", Fixture("models-mlp-batch.safetensors"), "--out", Path.Combine(dir, "g.safetensors"), "--device", "cpu"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("w.safetensors: invalid safetensors file"));
    }

    [Test]
    public void VitLayerNeedsHeadsThatDivideTheWidth()
    {
        Assert.That(Grad("vit-layer", "vitlayer").Err, Does.Contain("--heads"));
        var (code, _, err) = Grad("vit-layer", "vitlayer", "--heads", "5");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("--heads 5 must be positive and divide the model width D = 32"));
        Assert.That(Grad("hnn", "hnn", "--heads", "2").Err, Does.Contain("--heads applies to --model vit-layer, vit, vjepa, ijepa, video-jepa only"));
    }

    [Test]
    public void MissingOutputFolderIsAUserError()
    {
        var (code, _, err) = Cli.Run(["grad", "--model", "mlp", "--weights", Fixture("models-mlp-weights.safetensors"),
            "--batch", Fixture("models-mlp-batch.safetensors"), "--out", Path.Combine(dir, "no-such-folder", "g.safetensors"), "--device", "cpu"]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("no-such-folder").And.Contain("does not exist"));
    }

    [Test]
    public void NaNLossExitsAsDivergedNamingTheFirstOp() // HNN's first op: the fused input gradient (Ops.TanhMlpInputGradient)
    {
        // Finite inputs (a NaN in the batch is bad input, exit 2) whose first layer overflows float32: 3e38 · 1e20.
        var batch = Path.Combine(dir, "huge.safetensors");
        Safetensors.Write(batch, [
            KeyValuePair.Create("x", SafetensorsTensor.FromFloat32([3e38f, -3e38f, 3e38f, 3e38f], 2, 2)),
            KeyValuePair.Create("dxdt", SafetensorsTensor.FromFloat32(new float[4], 2, 2)),
        ]);
        var weights = Path.Combine(dir, "w.safetensors");
        Safetensors.Write(weights, Safetensors.Read(Fixture("models-hnn-weights.safetensors")).Tensors.Select(t => t.Key == "net.0.weight"
            ? KeyValuePair.Create(t.Key, SafetensorsTensor.FromFloat32(t.Value.ToFloat32().Select(v => v * 1e20f).ToArray(), t.Value.Shape))
            : t));
        var (code, _, err) = Cli.Run(["grad", "--model", "hnn", "--weights", weights,
            "--batch", batch, "--out", Path.Combine(dir, "g.safetensors"), "--device", "cpu"]);
        Assert.That(code, Is.EqualTo(4));
        Assert.That(err, Does.Contain("the loss is NaN").And.Contain("'tanh_mlp_input_grad' produced NaN"));
        Assert.That(File.Exists(Path.Combine(dir, "g.safetensors")), Is.False);
    }

    [Test]
    public void UnknownModelIsRejected()
    {
        Assert.That(Grad("gpt", "hnn").Code, Is.Not.Zero);
    }
}
