using WeJepa.TestSupport;
using System.Text.Json;
using WeJepa.Core.IO;
using WeJepa.Reports;

namespace WeJepa.App.Tests;

public class DemoTests : TempFolderTest
{
    [Test]
    public void DemoOnTheEmbeddedSceneWritesTheReportFolder()
    {
        var report = Path.Combine(Dir, "report");
        var (code, stdout, stderr) = Cli.Run("demo", "--out", report);
        Assert.That((code, stderr), Is.EqualTo((0, "")));
        Assert.That(stdout, Does.Contain("scenes/pendulum.yaml (embedded)"));
        Assert.That(Directory.GetFiles(report).Select(Path.GetFileName).Order(), Is.EqualTo(new[]
            { "energy.npy", "energy.png", "meta.json", "metrics.json", "scene.yaml", "states.npy", "theta.png" }));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.EqualTo(new[] { report }), "no temporary folder left");

        foreach (var png in new[] { "energy.png", "theta.png" })
        {
            var (rgb, width, height) = PngFile.Load(Path.Combine(report, png));
            Assert.That((width, height), Is.EqualTo((Chart.DefaultWidth, Chart.DefaultHeight)), png);
            // Not blank: the plot holds coloured (series) pixels, not just white, grey and black.
            var coloured = 0;
            for (var i = 0; i < rgb.Length; i += 3 * 2)
                if (Math.Max(rgb[i], Math.Max(rgb[i + 1], rgb[i + 2])) - Math.Min(rgb[i], Math.Min(rgb[i + 1], rgb[i + 2])) > 60) coloured++;
            Assert.That(coloured, Is.GreaterThan(500), png);
            // Text shows: ink in the title band (top 6%), the x-label band (bottom 5%, below the tick labels) and the
            // y-label band (left 2%, left of the tick labels). Measured on these charts: ~3000, ~300 and ~350 pixels.
            int Ink(PixelBox band) => ChartImage.Ink(rgb, width, height, Rgb8.White, band);
            Assert.That(Ink(new PixelBox(0, 0, width, height * 6 / 100)), Is.GreaterThan(1000), $"{png}: title");
            Assert.That(Ink(new PixelBox(0, height * 95 / 100, width, height)), Is.GreaterThan(150), $"{png}: x-axis label");
            Assert.That(Ink(new PixelBox(0, 0, width * 2 / 100, height)), Is.GreaterThan(150), $"{png}: y-axis label");
        }

        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json"))).RootElement;
        Assert.That(metrics.GetProperty("envs").GetInt32(), Is.EqualTo(16));
        Assert.That(metrics.GetProperty("steps").GetInt32(), Is.EqualTo(1000));
        Assert.That(metrics.GetProperty("max_abs_relative_energy_error").GetDouble(), Is.InRange(0.0, 1e-6), "RK4 at dt = 0.01 conserves energy");
        Assert.That(metrics.GetProperty("per_env").GetArrayLength(), Is.EqualTo(16));
    }

    [Test]
    public void DemoOnADampedSceneReportsTheEnergyLoss()
    {
        var report = Path.Combine(Dir, "damped");
        var (code, _, stderr) = Cli.Run("demo", "--scene", Cli.Scene("damped.yaml"), "--envs", "3", "--out", report);
        Assert.That((code, stderr), Is.EqualTo((0, "")));
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json"))).RootElement;
        Assert.That(metrics.GetProperty("mean_final_relative_energy_change").GetDouble(), Is.LessThan(-0.9));
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
}
