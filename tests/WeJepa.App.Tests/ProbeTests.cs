using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// <c>wejepa probe</c> end to end on a small generated dataset and a model.safetensors written by <c>train jepa</c> (one
/// step: the names and metadata of a real run). Raw pixels of clean frames hold the angle linearly, so their ridge R²
/// must be high; a single frame carries no velocity, so no probe may claim ω.
/// </summary>
public class ProbeTests : TempFolderTest
{
    string Data(string name, string scene = "pendulum.yaml", int episodes = 24)
    {
        var dir = Path.Combine(Dir, name);
        var (code, _, err) = Cli.Run("generate", "--scene", Cli.Scene(scene), "--reference", "--episodes", episodes.ToString(), "--steps", "25", "--seed", name.Length.ToString(), "--out", dir);
        Assert.That(code, Is.Zero, err);
        return dir;
    }

    string Model(string kind = "ijepa") => JepaRuns.OneStep(Dir, kind);

    [Test]
    public void CompareProbesPretrainedRandomAndPixelsAndWritesTableJsonAndChart()
    {
        var data = Data("data");
        var (code, stdout, err) = Cli.Run("probe", "--checkpoint", Model(), "--data", data, "--compare", "--samples", "400", "--epochs", "4",
            "--out", Path.Combine(Dir, "probe"), "--device", "cpu");
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("pretrained (target_encoder)").And.Contain("random init").And.Contain("raw pixels"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "probe", "probe.json")))!;
        Assert.That(json["targets"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "sin θ", "cos θ", "ω" }));
        var rows = json["rows"]!.AsArray();
        Assert.That(rows.Select(r => r!["dim"]!.GetValue<int>()), Is.EqualTo(new[] { 32, 32, 3 * 64 * 64 }));
        var pixels = rows[2]!;
        Assert.That(pixels["ridge"]!["r2_angle"]!.GetValue<double>(), Is.GreaterThan(0.8), "raw pixels of clean frames hold sin θ and cos θ linearly");
        foreach (var row in rows)
        {
            Assert.That(row!["sgd"]!.AsArray(), Has.Count.EqualTo(4));
            Assert.That(row["ridge"]!["r2_omega"]!.GetValue<double>(), Is.LessThan(0.5), "one frame holds no velocity");
            Assert.That(row["classification"], Is.Null, "one scene: nothing to classify");
        }
        Assert.That(json["train_episodes"]!.GetValue<int>() + json["validation_episodes"]!.GetValue<int>(), Is.EqualTo(24));
        var png = PngFile.Load(Path.Combine(Dir, "probe", "probe.png"));
        Assert.That((png.Width, png.Height), Is.EqualTo((1000, 600)));
    }

    [Test]
    public void VideoJepaIsProbedOnClipsOfConsecutiveFrames()
    {
        var (code, stdout, err) = Cli.Run("probe", "--checkpoint", Model("video-jepa"), "--data", Data("data", episodes: 12), "--compare", "--samples", "200",
            "--epochs", "2", "--out", Path.Combine(Dir, "probe"), "--device", "cpu");
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Contain("clips of 2 frames"));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "probe", "probe.json")))!;
        Assert.That(json["frames_per_sample"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(json["rows"]!.AsArray().Select(r => r!["dim"]!.GetValue<int>()), Is.EqualTo(new[] { 32, 32, 2 * 3 * 64 * 64 }), "raw pixels of a clip: both frames");
    }

    [Test]
    public void TokenPoolingKeepsEveryTokenSoTheHeadsSeeWhereTheBobIs()
    {
        var (data, model) = (Data("data"), Model());
        var rows = new Dictionary<string, JsonArray>();
        foreach (var pool in new[] { "mean", "tokens" })
        {
            var (code, _, err) = Cli.Run("probe", "--checkpoint", model, "--data", data, "--compare", "--samples", "400", "--epochs", "2",
                "--pool", pool, "--out", Path.Combine(Dir, pool), "--device", "cpu");
            Assert.That(code, Is.Zero, err);
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, pool, "probe.json")))!;
            Assert.That(json["pooling"]!.GetValue<string>(), Is.EqualTo(pool));
            rows[pool] = json["rows"]!.AsArray();
        }
        // 64×64 frames, patch 16: 16 tokens of D 32
        Assert.That(rows["tokens"].Select(r => r!["dim"]!.GetValue<int>()), Is.EqualTo(new[] { 16 * 32, 16 * 32, 3 * 64 * 64 }));
        double Angle(string pool, int row) => rows[pool][row]!["ridge"]!["r2_angle"]!.GetValue<double>();
        for (int row = 0; row < 2; row++)
            Assert.That(Angle("tokens", row), Is.GreaterThan(Angle("mean", row) + 0.1), $"row {row}: the mean over tokens forgets which patch holds the bob");
        Assert.That(Angle("tokens", 2), Is.EqualTo(Angle("mean", 2)), "raw pixels do not depend on the pooling");
        var (bad, _, badErr) = Cli.Run("probe", "--checkpoint", model, "--data", data, "--pool", "max", "--out", Path.Combine(Dir, "max"));
        Assert.That((bad, Directory.Exists(Path.Combine(Dir, "max"))), Is.EqualTo((ExitCodes.BadInput, false)), badErr);
        Assert.That(badErr, Does.Contain("max"));
    }

    [Test]
    public void TwoScenesAddAClassifierThatTellsThemApart()
    {
        var (code, stdout, err) = Cli.Run("probe", "--checkpoint", Path.Combine(Model("vjepa"), "model.safetensors"), "--data", Data("a", "pendulum.yaml", 12),
            "--data", Data("bb", "damped.yaml", 12), "--samples", "300", "--epochs", "5", "--out", Path.Combine(Dir, "probe"), "--device", "cpu");
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("pretrained (context_encoder)"));
        var row = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "probe", "probe.json")))!["rows"]![0]!;
        var epochs = row["classification"]!.AsArray();
        Assert.That(epochs, Has.Count.EqualTo(5));
        Assert.That(epochs.Select(e => e!["accuracy"]!.GetValue<double>()), Has.All.InRange(0.0, 1.0));
    }

    [Test]
    public void BadInputIsOneErrorAndExitCode2()
    {
        var data = Data("data", episodes: 8);
        var (code, _, err) = Cli.Run("probe", "--checkpoint", Path.Combine(Dir, "nope.safetensors"), "--data", data, "--out", Path.Combine(Dir, "p"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), err);
        Assert.That(err, Does.Contain("nope.safetensors"));
        var bare = Path.Combine(Dir, "bare.safetensors");
        Safetensors.Write(bare, [KeyValuePair.Create("w", SafetensorsTensor.FromFloat32([1f], 1))]);
        (code, _, err) = Cli.Run("probe", "--checkpoint", bare, "--data", data, "--out", Path.Combine(Dir, "p"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), err);
        Assert.That(err, Does.Contain("bare.safetensors").And.Contain("\"kind\""));
        (code, _, err) = Cli.Run("probe", "--checkpoint", Model(), "--data", Path.Combine(Dir, "missing"), "--out", Path.Combine(Dir, "p"), "--device", "cpu");
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), err);
        Assert.That(err, Does.Contain("missing"));
        Assert.That(Directory.Exists(Path.Combine(Dir, "p")), Is.False, "nothing written");
    }
}
