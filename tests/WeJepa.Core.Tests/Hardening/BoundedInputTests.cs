using WeJepa.TestSupport;
using System.Diagnostics;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;

namespace WeJepa.Core.Tests.Hardening;

/// <summary>
/// Inputs that once crashed, hung or exhausted memory: each is refused with one <see cref="UserError"/>
/// (exit 2) naming the path, quickly.
/// </summary>
public class BoundedInputTests : TempFolderTest
{
    private static UserError Refusal(Action read)
    {
        var clock = Stopwatch.StartNew();
        var e = Assert.Throws<UserError>(() => read())!;
        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(5), "refused without reading");
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message.Split('\n'), Has.Length.EqualTo(1));
        return e;
    }

    [TestCase("/dev/zero", "character device")]
    [TestCase("/dev/null", "character device")]
    public void DeviceNodesAreRefusedAsSceneWeightsAndArrays(string device, string kind)
    {
        Assert.That(Refusal(() => SceneLoader.Load(device)).Message, Is.EqualTo($"{device}: is a {kind}, expected a regular scene file"));
        Assert.That(Refusal(() => Safetensors.Read(device, "weights file")).Message, Does.StartWith($"{device}: is a {kind}"));
        Assert.That(Refusal(() => Npy.Read(device)).Message, Does.StartWith($"{device}: is a {kind}"));
    }

    [Test]
    public void FifoIsRefusedWithoutOpeningIt()
    {
        var fifo = Path.Combine(Dir, "scene.yaml");
        Assume.That(Process.Start("mkfifo", fifo)!.WaitForExit(5000), "mkfifo");
        // Opening a FIFO for reading blocks until a writer appears: the refusal must come before any open.
        var e = Refusal(() => SceneLoader.Load(fifo));
        Assert.That(e.Message, Is.EqualTo($"{fifo}: is a FIFO (named pipe), expected a regular scene file"));
        Assert.That(FileKinds.Of(fifo), Is.EqualTo(FileKind.Fifo));
    }

    [Test]
    public void OversizedSceneIsRefusedBeforeParsing()
    {
        var path = Path.Combine(Dir, "big.yaml");
        File.WriteAllText(path, "scene: {}\n#" + new string('x', YamlLimits.MaxBytes) + "\n");
        Assert.That(Refusal(() => SceneLoader.Load(path)).Message, Does.StartWith($"{path}: the scene file is 1.0 MiB, more than the 1.0 MiB"));
    }

    [Test]
    public void FileKindsTellRegularFilesFoldersAndLinks()
    {
        var file = Path.Combine(Dir, "f");
        File.WriteAllText(file, "x");
        var link = Path.Combine(Dir, "link");
        File.CreateSymbolicLink(link, "/dev/zero");
        Assert.That(FileKinds.Of(file), Is.EqualTo(FileKind.Regular));
        Assert.That(FileKinds.Of(Dir), Is.EqualTo(FileKind.Directory));
        Assert.That(FileKinds.Of(link), Is.EqualTo(FileKind.CharacterDevice));
        Assert.That(FileKinds.Of(link, followLinks: false), Is.EqualTo(FileKind.SymbolicLink));
        Assert.That(FileKinds.Of(Path.Combine(Dir, "none")), Is.EqualTo(FileKind.Missing));
        Assert.That(FileKinds.SameFile(file, Path.Combine(Dir, ".", "f")), Is.True);
        Assert.That(FileKinds.SameFile(file, link), Is.False);
    }

    [Test]
    public void ThirtyThousandLevelsOfFlowNestingAreRefusedNotAStackOverflow()
    {
        // 30,000 levels overflowed the stack inside YamlDotNet (the process died with exit 134).
        foreach (var yaml in new[] { "scene: " + new string('[', 30000) + new string(']', 30000), "scene: " + string.Concat(Enumerable.Repeat("{a: ", 30000)) + "1", "scene: " + new string('[', 30000) })
        {
            var e = Refusal(() => SceneLoader.Parse(yaml, "deep.yaml"));
            Assert.That(e.Message, Does.Match(@"^deep\.yaml:1:\d+: nested deeper than 64 levels"));
        }
    }

    [Test]
    public void AliasBombIsRefusedInMilliseconds()
    {
        // Nine aliases per level, eight levels: 9^8 ≈ 43 M nodes once expanded; as a mapping key YamlDotNet hashed them all.
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" +
                   string.Concat(Enumerable.Range(1, 8).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n")) +
                   "? *a8\n: 1\n";
        var clock = Stopwatch.StartNew();
        var e = Refusal(() => SceneLoader.Parse(yaml, "bomb.yaml"));
        // Refused in milliseconds when quiet; the bound leaves room for a loaded 2-core CI machine, while the unbounded
        // expansion (43 M nodes hashed) takes minutes or runs out of memory.
        Assert.That(clock.ElapsedMilliseconds, Is.LessThan(10_000));
        Assert.That(e.Message, Does.Contain("more than 100000 nodes once its aliases are expanded"));
    }

    [Test]
    public void AnAliasInsideItsOwnAnchorIsACycle()
    {
        foreach (var yaml in new[] { "? &a [*a]\n: 1\n", "scene: &a [*a]\n", "a: &a {b: *a}\n" })
            Assert.That(Refusal(() => SceneLoader.Parse(yaml, "cycle.yaml")).Message, Does.Contain("alias *a refers to the node that defines &a (a cycle)"));
    }

    [Test]
    public void AliasesWithinBoundsStillWork()
    {
        var yaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "scenes", "pendulum.yaml"))
            .Replace("length: 1.0", "length: &one 1.0").Replace("mass: 1.0", "mass: *one");
        var scene = SceneLoader.Parse(yaml, "anchors.yaml");
        Assert.That(((PendulumComponent)scene.System).Mass, Is.EqualTo(1.0));
    }
}
