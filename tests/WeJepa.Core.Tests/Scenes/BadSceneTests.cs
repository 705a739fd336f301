using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;

namespace WeJepa.Core.Tests.Scenes;

/// <summary>
/// The corpus of broken scenes in <c>BadScenes/</c>: each file's first line says where the error must
/// point (<c># expect: LINE:COL word…</c>); the message must start with <c>file:LINE:COL:</c> and
/// contain every word (the key path, the bad value, the reason).
/// </summary>
public class BadSceneTests
{
    private static string Dir => Path.Combine(TestContext.CurrentContext.TestDirectory, "BadScenes");

    public static IEnumerable<string> Corpus() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "BadScenes"), "*.yaml").Select(Path.GetFileName).Order()!;

    [TestCaseSource(nameof(Corpus))]
    public void BrokenSceneGivesOneClearMessage(string name)
    {
        var path = Path.Combine(Dir, name);
        var expect = File.ReadLines(path).First()["# expect:".Length..].Trim().Split(' ');
        var e = Assert.Throws<UserError>(() => SceneLoader.Load(path))!;
        TestContext.Out.WriteLine(e.Message);
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.StartWith($"{path}:{expect[0]}: "));
        foreach (var word in expect.Skip(1)) Assert.That(e.Message, Does.Contain(word));
        Assert.That(e.Message.Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
    }

    [Test]
    public void MissingFileNamesThePath()
    {
        var path = Path.Combine(Dir, "no_such_scene.yaml");
        var e = Assert.Throws<UserError>(() => SceneLoader.Load(path))!;
        Assert.That(e.Message, Is.EqualTo($"{path}: scene file not found"));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    [Test]
    public void FolderInsteadOfFileIsRejected()
    {
        var e = Assert.Throws<UserError>(() => SceneLoader.Load(Dir))!;
        Assert.That(e.Message, Does.Contain("is a folder"));
    }
}
