using WeJepa.Core.Errors;
using WeJepa.Training.Runs;

namespace WeJepa.Training.Tests.Training;

/// <summary>Cutting a metrics log back to a checkpoint's step, as a resume does after a kill.</summary>
public class MetricsLogTests
{
    string path = "";

    [SetUp]
    public void SetUp() => path = Path.Combine(Directory.CreateTempSubdirectory("metrics-log-test").FullName, MetricsLog.FileName);

    [TearDown]
    public void TearDown() => Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);

    [Test]
    public void AnAppendCutShortByAKillIsDroppedWithTheStepsAfterTheCheckpoint()
    {
        File.WriteAllText(path, "{\"step\":1,\"loss\":0.5}\n{\"step\":2,\"loss\":0.4}\n{\"step\":3,\"loss\":0.3}\n{\"step\":4,\"lo");
        new MetricsLog(path).TruncateAfter(2);
        Assert.That(File.ReadAllText(path), Is.EqualTo("{\"step\":1,\"loss\":0.5}\n{\"step\":2,\"loss\":0.4}\n"));
        File.AppendAllText(path, "{\"step\":3,\"loss\":0.3}");   // whole, but its newline never written: the append did not finish
        new MetricsLog(path).TruncateAfter(10);
        Assert.That(File.ReadAllLines(path), Has.Length.EqualTo(2));
    }

    [Test]
    public void AMalformedLineIsAnErrorNamingFileAndLine()
    {
        File.WriteAllText(path, "{\"step\":1}\nnot json\n{\"step\":3}\n");
        var e = Assert.Throws<UserError>(() => new MetricsLog(path).TruncateAfter(5));
        Assert.That(e!.Message, Does.StartWith($"{path}:2: not a metrics line"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("{\"step\":1}\nnot json\n{\"step\":3}\n"), "left as it was");
    }
}
