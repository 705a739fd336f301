namespace WeJepa.App.Tests;

public class SceneCheckTests
{
    [TestCase("pendulum.yaml")]
    [TestCase("damped.yaml")]
    [TestCase("driven.yaml")]
    [TestCase("double.yaml")]
    public void ShippedScenesAreValid(string name)
    {
        var (code, stdout, stderr) = Cli.Run("scene", "check", Cli.Scene(name));
        Assert.That((code, stderr), Is.EqualTo((0, "")));
        Assert.That(stdout, Does.StartWith($"{Cli.Scene(name)}: ok"));
    }

    [Test]
    public void SeveralFilesAreCheckedInOneRun()
    {
        var bad = Path.Combine(AppContext.BaseDirectory, "BadScenes", "dt_zero.yaml");
        var (code, stdout, stderr) = Cli.Run("scene", "check", Cli.Scene("pendulum.yaml"), bad, Cli.Scene("double.yaml"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Does.Contain("pendulum.yaml: ok").And.Contain("double.yaml: ok"));
        Assert.That(stderr, Is.EqualTo($"error: {bad}:4:7: scene.dt: must be > 0, got 0\n"));
    }

    [Test]
    public void BrokenSceneExitsTwoWithOneLine()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "BadScenes", "negative_length.yaml");
        var (code, stdout, stderr) = Cli.Run("scene", "check", path);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Is.EqualTo($"error: {path}:8:17: objects[0].components.Pendulum.length: must be > 0, got -1.0\n"));
    }
}
