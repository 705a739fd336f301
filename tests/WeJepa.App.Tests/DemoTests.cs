using System.Text.Json;
using BigGustave;

namespace WeJepa.App.Tests;

public class DemoTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("demo-test").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void DemoOnTheEmbeddedSceneWritesTheReportFolder()
    {
        var report = Path.Combine(_dir, "report");
        var (code, stdout, stderr) = Cli.Run("demo", "--out", report);
        Assert.That((code, stderr), Is.EqualTo((0, "")));
        Assert.That(stdout, Does.Contain("scenes/pendulum.yaml (embedded)"));
        Assert.That(Directory.GetFiles(report).Select(Path.GetFileName).Order(), Is.EqualTo(new[]
            { "energy.npy", "energy.png", "meta.json", "metrics.json", "scene.yaml", "states.npy", "theta.png" }));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.EqualTo(new[] { report }), "no temporary folder left");

        foreach (var png in new[] { "energy.png", "theta.png" })
        {
            using var stream = File.OpenRead(Path.Combine(report, png));
            var image = Png.Open(stream);
            Assert.That((image.Width, image.Height), Is.EqualTo((1000, 600)), png);
            // Not blank: the plot holds coloured (series) pixels, not just white, grey and black.
            var coloured = 0;
            for (var y = 0; y < image.Height; y += 2)
            for (var x = 0; x < image.Width; x += 2)
            {
                var p = image.GetPixel(x, y);
                if (Math.Max(p.R, Math.Max(p.G, p.B)) - Math.Min(p.R, Math.Min(p.G, p.B)) > 60) coloured++;
            }
            Assert.That(coloured, Is.GreaterThan(500), png);
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
        var report = Path.Combine(_dir, "damped");
        var (code, _, stderr) = Cli.Run("demo", "--scene", Cli.Scene("damped.yaml"), "--envs", "3", "--out", report);
        Assert.That((code, stderr), Is.EqualTo((0, "")));
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json"))).RootElement;
        Assert.That(metrics.GetProperty("mean_final_relative_energy_change").GetDouble(), Is.LessThan(-0.9));
    }

    [Test]
    public void DemoWithABrokenSceneWritesNothing()
    {
        var bad = Path.Combine(AppContext.BaseDirectory, "BadScenes", "nan_gravity.yaml");
        var (code, _, stderr) = Cli.Run("demo", "--scene", bad, "--out", Path.Combine(_dir, "report"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith($"error: {bad}:7:52: objects[0].components.Pendulum.gravity"));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty);
    }
}
