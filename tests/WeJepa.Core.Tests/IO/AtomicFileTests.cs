using WeJepa.TestSupport;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Core.Tests.IO;

public class AtomicFileTests : TempFolderTest
{
    [Test]
    public void AFailedWriteKeepsTheOldFileAndLeavesNoTemp()
    {
        var path = Path.Combine(Dir, "a.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("boom");
        }));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.EqualTo(new[] { path }));
    }

    [Test]
    public void FolderAppearsOnlyOnCommit()
    {
        var final = Path.Combine(Dir, "out", "run1");
        using (var folder = new AtomicDirectory(final))
        {
            File.WriteAllText(folder.FilePath("x.txt"), "x");
            Assert.That(Directory.Exists(final), Is.False);
            folder.Commit();
        }
        Assert.That(File.ReadAllText(Path.Combine(final, "x.txt")), Is.EqualTo("x"));
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(Dir, "out")), Is.EqualTo(new[] { final }));
    }

    [Test]
    public void UncommittedFolderLeavesNothing()
    {
        var final = Path.Combine(Dir, "run");
        using (var folder = new AtomicDirectory(final)) File.WriteAllText(folder.FilePath("x.txt"), "x");
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }

    [Test]
    public void CommitReplacesAnOlderFolder()
    {
        var final = Path.Combine(Dir, "run");
        Directory.CreateDirectory(final);
        File.WriteAllText(Path.Combine(final, "stale.txt"), "old");
        using (var folder = new AtomicDirectory(final))
        {
            File.WriteAllText(folder.FilePath("new.txt"), "new");
            folder.Commit();
        }
        Assert.That(Directory.GetFiles(final).Select(Path.GetFileName), Is.EqualTo(new[] { "new.txt" }));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.EqualTo(new[] { final }));
    }

    [Test]
    public void AFileInTheWayIsAUserError()
    {
        var path = Path.Combine(Dir, "file");
        File.WriteAllText(path, "");
        Assert.That(Assert.Throws<UserError>(() => new AtomicDirectory(path))!.Message, Does.Contain("is a file"));
    }
}
