using WeJepa.Native.Cuda;

namespace WeJepa.Learning.Tests.DevicesTests;

/// <summary>The libcublas search order on a fake file system (a temp folder of empty files named like the real ones).</summary>
public class CuBlasLibraryTests
{
    string root = null!;

    [SetUp]
    public void MakeRoot() => root = Directory.CreateTempSubdirectory("cublas-search-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(root, recursive: true);

    string Touch(string relative)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, []);
        return path;
    }

    [Test]
    public void SonamesComeFirstNewestSupportedMajorFirst()
        => Assert.That(CuBlasLibrary.Candidates(null, []), Is.EqualTo(new[] { "libcublas.so.12", "libcublas.so.13", "libcublas.so.11", "libcublas.so.10" }));

    [Test]
    public void AnExplicitFileIsTheOnlyCandidate()
        => Assert.That(CuBlasLibrary.Candidates("/opt/cuda/libcublas.so.12", [Touch("usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublas.so.12")]),
            Is.EqualTo(new[] { "/opt/cuda/libcublas.so.12" }));

    [Test]
    public void PyTorchsBundledCopiesFollowTheSonamesInFolderOrder()
    {
        var wheel = Touch("usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublas.so.12");
        Touch("usr/local/lib/python3.11/dist-packages/nvidia/cublas/lib/libcublasLt.so.12");
        var oldTorch = Touch("opt/conda/lib/python3.9/site-packages/torch/lib/libcublas-3b81d170.so.11");
        Touch("opt/conda/lib/python3.9/site-packages/torch/lib/libcublasLt-b6d14a74.so.11");
        var user = Touch("home/me/.local/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.13");
        var venv = Touch("venv/lib/python3.12/site-packages/nvidia/cublas/lib/libcublas.so.12");
        var folders = CuBlasLibrary.PythonPackageFolders(root, pythonPath: null, virtualEnv: "/venv", condaPrefix: null, home: "/home/me").ToList();
        var candidates = CuBlasLibrary.Candidates(null, folders);
        Assert.That(candidates.Skip(CuBlasLibrary.Sonames.Length), Is.EqualTo(new[] { venv, oldTorch, wheel, user }),
            "virtualenv, then /opt/conda, /usr/local, /usr, ~/.local; libcublasLt is never a candidate");
    }

    [Test]
    public void PythonPathEntriesAreSearchedFirst()
    {
        var mine = Touch("work/pkgs/nvidia/cublas/lib/libcublas.so.11");
        Touch("usr/lib/python3/dist-packages/nvidia/cublas/lib/libcublas.so.12");
        var folders = CuBlasLibrary.PythonPackageFolders(root, "/work/pkgs", null, null, null).ToList();
        Assert.That(folders[0], Is.EqualTo(Path.Combine(root, "work/pkgs")));
        Assert.That(folders, Does.Contain(Path.Combine(root, "usr/lib/python3/dist-packages")));
        Assert.That(CuBlasLibrary.Candidates(null, folders)[CuBlasLibrary.Sonames.Length], Is.EqualTo(mine));
    }

    [Test]
    public void NoLoadableCandidateGivesTheReasons()
    {
        var fake = Touch("fake/libcublas.so.12"); // an empty file: dlopen refuses it
        Assert.That(CuBlas.TryCreate([fake], out var why), Is.Null);
        Assert.That(why, Does.Contain(fake).And.Contain("not loadable"));
    }
}
