using WeJepa.TestSupport;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Core.Tests.Hardening;

/// <summary>Output paths that once lost data or replaced a device node: each is refused before anything is written.</summary>
public class OutputTargetTests : TempFolderTest
{
    private static string Refusal(Action check) => Assert.Throws<UserError>(() => check())!.Message;

    [Test]
    public void EmptyPathsNameTheOption()
    {
        Assert.That(Refusal(() => OutputTarget.CheckFile("--out", "")), Is.EqualTo("--out: the path is empty; name the output file"));
        Assert.That(Refusal(() => OutputTarget.CheckFolder("--out", "", [])), Is.EqualTo("--out: the path is empty; name the output folder"));
    }

    [Test]
    public void AFolderHoldingAnInputOrForeignFilesIsNotReplaced()
    {
        var scene = Path.Combine(Dir, "sub", "scene.yaml");
        Directory.CreateDirectory(Path.GetDirectoryName(scene)!);
        File.WriteAllText(scene, "x");
        Assert.That(Refusal(() => OutputTarget.CheckFolder("--out", Dir, [scene], ["states.npy"])), Does.Contain($"holds the input {scene}"));
        Assert.That(Refusal(() => OutputTarget.CheckFolder("--out", Dir, [], ["states.npy"])), Does.Contain("holds files this command did not write (sub)"));
        File.Delete(scene);
        Directory.Delete(Path.GetDirectoryName(scene)!);
        File.WriteAllText(Path.Combine(Dir, "states.npy"), "an earlier run");
        Assert.DoesNotThrow(() => OutputTarget.CheckFolder("--out", Dir, [], ["states.npy"]), "an earlier run's files may be replaced");
    }

    [Test]
    public void TheCurrentFolderAndItsParentsAreRefused()
    {
        var old = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Dir);
        try
        {
            Assert.That(Refusal(() => OutputTarget.CheckFolder("--out", ".", [], ["states.npy"])), Does.Contain("is the current folder or one above it"));
            Assert.That(Refusal(() => OutputTarget.CheckFolder("--out", "..", [], ["states.npy"])), Does.Contain("is the current folder or one above it"));
        }
        finally { Directory.SetCurrentDirectory(old); }
    }

    [Test]
    public void FifosDevicesFoldersAndInputsAreRefusedAsOutputFiles()
    {
        var input = Path.Combine(Dir, "w.safetensors");
        File.WriteAllText(input, "x");
        Assert.That(Refusal(() => OutputTarget.CheckFile("--out", "/dev/null")), Is.EqualTo("--out /dev/null: is a character device; name a regular file (it is replaced by rename)"));
        Assert.That(Refusal(() => OutputTarget.CheckFile("--out", Dir)), Does.Contain("is a folder"));
        Assert.That(Refusal(() => OutputTarget.CheckFile("--out", input, input)), Does.Contain("is also an input of this run"));
        Assert.That(Refusal(() => OutputTarget.CheckFile("--out", Path.Combine(Dir, "no", "g.safetensors"))), Does.Contain("does not exist"));
        Assert.DoesNotThrow(() => OutputTarget.CheckFile("--out", Path.Combine(Dir, "g.safetensors"), input));
    }

    [Test]
    public void AtomicWriteNeverReplacesADeviceNodeOrFifo()
    {
        var fifo = Path.Combine(Dir, "fifo");
        Assume.That(System.Diagnostics.Process.Start("mkfifo", fifo)!.WaitForExit(5000), "mkfifo");
        var e = Assert.Throws<UserError>(() => AtomicFile.WriteAllText(fifo, "data"))!;
        Assert.That(e.Message, Does.Contain("is a FIFO (named pipe), not a regular file; refusing to replace it"));
        Assert.That(FileKinds.Of(fifo), Is.EqualTo(FileKind.Fifo), "the node is still there");
        Assert.That(Directory.GetFiles(Dir), Is.EqualTo(new[] { fifo }), "no temporary left behind");
    }

    [Test]
    public void ErrorsInsideAnAtomicDirectoryNameTheUsersFolderNotTheTemporary()
    {
        var final = Path.Combine(Dir, "out");
        using var dir = new AtomicDirectory(final);
        Directory.CreateDirectory(dir.FilePath("states.npy")); // a folder where the file must go: the rename fails
        var e = Assert.Throws<UserError>(() => AtomicFile.WriteAllText(dir.FilePath("states.npy"), "x"))!;
        Assert.That(e.Message, Does.StartWith($"{final}/states.npy: "));
        Assert.That(e.Message, Does.Not.Contain(AtomicFile.TempMarker));
    }

    [Test]
    public void ASecondLockOnAFolderIsRefusedUntilTheFirstIsReleased()
    {
        using (FileLock.Acquire(Dir))
        {
            var e = Assert.Throws<UserError>(() => FileLock.Acquire(Dir).Dispose())!;
            Assert.That(e.Message, Does.StartWith($"{Dir}: another run is writing into this folder"));
        }
        Assert.That(File.Exists(Path.Combine(Dir, FileLock.FileName)), Is.False, "the lock file goes with the lock");
        using (FileLock.Acquire(Dir)) { }
    }
}
