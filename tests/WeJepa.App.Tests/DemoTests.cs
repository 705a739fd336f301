using WeJepa.TestSupport;
using System.Text.Json;
using WeJepa.Core.IO;
using WeJepa.Reports;

namespace WeJepa.App.Tests;

public class DemoTests : TempFolderTest
{
    [Test]
    public void DemoQuickRunsTheClosedLoopFromPixelsAndWritesTheReport()
    {
        var report = Path.Combine(Dir, "report");
        var (code, stdout, stderr) = Cli.Run("demo", "--quick", "--headless", "--out", report);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("scenes/pendulum.yaml (embedded)"));
        Assert.That(stdout, Does.Contain($"report: {Path.Combine(report, "report.md")}"));
        Assert.That(Directory.GetFiles(report).Select(Path.GetFileName).Order(), Is.EqualTo(new[]
            { "dynamics_loss.png", "encoder_loss.png", "energy.png", "metrics.json", "phase.png", "report.md", "strip.png", "theta.png" }));
        Assert.That(Directory.GetDirectories(report).Select(Path.GetFileName), Is.EqualTo(new[] { "run" }));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.EqualTo(new[] { report }), "no temporary folder left");

        var m = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json"))).RootElement;
        Assert.That(m.GetProperty("encoder").GetString(), Is.EqualTo("jepa"));
        double Number(string model, string key) => m.GetProperty(model).GetProperty(key).GetDouble();
        // the zero-copy claim in the online loop: no frame crossed to the host in the steady state
        Assert.That(m.GetProperty("host_traffic").GetProperty("frame_bytes_per_step").GetDouble(), Is.Zero);
        Assert.That(m.GetProperty("host_traffic").GetProperty("bytes_per_step").GetDouble(),
            Is.LessThan(m.GetProperty("host_traffic").GetProperty("frame_batch_bytes").GetDouble()));
        // from pixels: the angle is read, and the HNN's rollouts keep the true energy far better than the MLP's
        Assert.That(m.GetProperty("head").GetProperty("r2_sin_theta").GetDouble(), Is.GreaterThan(0.95));
        Assert.That(Number("pixels", "theta_mse_200"), Is.LessThanOrEqualTo(0.1), "the issue's θ target, from pixels");
        Assert.That(Number("pixels", "energy_drift_median_200"), Is.LessThan(Number("baseline_mlp", "energy_drift_median_200")),
            "HNN on the estimated states against the MLP baseline on the same estimates");
        Assert.That(Number("oracle", "theta_mse_200"), Is.LessThan(0.1));

        var markdown = File.ReadAllText(Path.Combine(report, "report.md"));
        foreach (var png in new[] { "strip.png", "theta.png", "energy.png", "phase.png", "encoder_loss.png", "dynamics_loss.png" })
        {
            Assert.That(markdown, Does.Contain($"({png})"), png);
            var (_, width, height) = PngFile.Load(Path.Combine(report, png));
            Assert.That(width * height, Is.GreaterThan(10_000), png);
        }
        Assert.That(markdown, Does.Contain("| from pixels (jepa + hnn) |"));
    }

    [Test]
    public void DemoWithABrokenSceneWritesNothing()
    {
        var bad = Path.Combine(AppContext.BaseDirectory, "BadScenes", "nan_gravity.yaml");
        var (code, _, stderr) = Cli.Run("demo", "--scene", bad, "--out", Path.Combine(Dir, "report"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith($"error: {bad}:7:52: objects[0].components.Pendulum.gravity"));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }

    [Test]
    public void DemoOfADoublePendulumIsRefusedAndWritesNothing()
    {
        var (code, _, stderr) = Cli.Run("demo", "--quick", "--scene", Cli.Scene("double.yaml"), "--out", Path.Combine(Dir, "report"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("simple pendulums"));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }

    [Test]
    public void ABadLoopSettingNamesItsKey()
    {
        var (code, _, stderr) = Cli.Run("demo", "--quick", "--set", "smoothing.degree=1", "--out", Path.Combine(Dir, "report"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("error: --set: smoothing.degree = 1:"));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }
}
