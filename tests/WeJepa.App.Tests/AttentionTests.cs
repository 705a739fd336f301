using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Devices;
using WeJepa.TestSupport;
using WeJepa.Training.Probes;

namespace WeJepa.App.Tests;

/// <summary><c>wejepa attention</c>: the recorded probabilities are distributions, and the PNG grids have a tile per layer and head.</summary>
public class AttentionTests : TempFolderTest
{
    string Model(string kind) => JepaRuns.OneStep(Dir, kind);

    string Data()
    {
        var dir = Path.Combine(Dir, "data");
        var (code, _, err) = Cli.Run("generate", "--scene", Cli.Scene("pendulum.yaml"), "--reference", "--episodes", "8", "--steps", "10", "--out", dir);
        Assert.That(code, Is.Zero, err);
        return dir;
    }

    [TestCase("ijepa")]
    [TestCase("vjepa")]
    public void RecordedAttentionRowsSumToOneAndEachHeadMapIsADistribution(string kind)
    {
        using var device = Device.Create(DeviceKind.Cpu);
        using var encoder = JepaEncoder.Load(device, Model(kind), randomInit: false);
        encoder.RecordAttention = true;
        var random = new Random(1);
        var frames = Enumerable.Range(0, 2 * 3 * 64 * 64).Select(_ => (float)random.NextDouble()).ToArray();
        new Tape(device).Step(() => { encoder.Tokens(Tensor.FromArray(device, frames, 2, 3, 64, 64)); });
        int n = 16, heads = encoder.Heads;
        Assert.That(encoder.LastAttention, Has.Count.EqualTo(2), "one map per layer (tiny: depth 2)");
        foreach (var layer in encoder.LastAttention)
        {
            Assert.That(layer, Has.Length.EqualTo(2 * heads * n * n));
            for (int row = 0; row < 2 * heads * n; row++)
                Assert.That(layer.AsSpan(row * n, n).ToArray().Sum(), Is.EqualTo(1f).Within(1e-5f));
            Assert.That(layer, Has.All.InRange(0f, 1f));
            for (int h = 0; h < heads; h++) Assert.That(AttentionGrid.Received(layer, n, h).Sum(), Is.EqualTo(1).Within(1e-5));
        }
    }

    [Test]
    public void WritesOnePngGridPerFrameWithTheFrameInTheFirstColumn()
    {
        var outDir = Path.Combine(Dir, "maps");
        var (code, stdout, err) = Cli.Run("attention", "--checkpoint", Model("ijepa"), "--data", Data(), "--frames", "3", "--zoom", "2", "--out", outDir, "--device", "cpu");
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("2 layers × 2 heads on a 4×4 patch grid"));
        var (width, height) = AttentionGrid.Size(2, 2, 64, 2);
        Assert.That((width, height), Is.EqualTo((3 * 128 + 2 * AttentionGrid.Gap, 2 * 128 + AttentionGrid.Gap)));
        var files = Directory.GetFiles(outDir, "attention-*.png").Order().ToArray();
        Assert.That(files.Select(Path.GetFileName), Is.EqualTo(new[] { "attention-000.png", "attention-001.png", "attention-002.png" }));
        foreach (var file in files)
        {
            var (rgb, w, h) = PngFile.Load(file);
            Assert.That((w, h), Is.EqualTo((width, height)));
            byte[] Tile(int row, int column) => Enumerable.Range(0, 128).SelectMany(y =>
                rgb.AsSpan(((row * (128 + AttentionGrid.Gap) + y) * w + column * (128 + AttentionGrid.Gap)) * 3, 128 * 3).ToArray()).ToArray();
            Assert.That(Tile(1, 0), Is.EqualTo(Tile(0, 0)), "column 0 is the frame on every row");
            Assert.That(Tile(0, 1), Is.Not.EqualTo(Tile(0, 0)), "a head's tile carries its heatmap");
            Assert.That(rgb.AsSpan(128 * 3, AttentionGrid.Gap * 3).ToArray(), Has.All.EqualTo((byte)255), "white gap between tiles");
        }
    }

    [Test]
    public void BadInputIsOneErrorAndExitCode2()
    {
        var model = Model("ijepa");
        var (code, _, err) = Cli.Run("attention", "--checkpoint", model, "--out", Path.Combine(Dir, "m"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(err, Does.Contain("exactly one of --data"));
        (code, _, err) = Cli.Run("attention", "--checkpoint", model, "--data", Data(), "--frames", "0", "--out", Path.Combine(Dir, "m"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(err, Does.Contain("--frames 0"));
        Assert.That(Directory.Exists(Path.Combine(Dir, "m")), Is.False);
    }
}
