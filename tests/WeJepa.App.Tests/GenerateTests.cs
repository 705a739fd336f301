using System.Diagnostics;
using WeJepa.App;
using WeJepa.Core.Errors;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>End-to-end tests of <c>wejepa generate</c> (Vulkan on lavapipe), in process and as a child process.</summary>
public class GenerateTests
{
    private const string SceneYaml = """
        scene:
          name: tiny
          seed: 11
          dt: 0.02
          steps: 8
          envs: 3
        objects:
          - name: pendulum
            components:
              Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81, damping: 0.1 }
              InitialState: { theta: { uniform: [-2.0, 2.0] }, omega: 0.0 }
          - name: camera
            components:
              Camera: { width: 32, height: 24, scale: 2.8 }
              Randomization: { color_jitter: 0.05, length_scale: [0.9, 1.1] }
              SensorNoise: { stddev: 0.01 }
        """;

    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        _root = Path.Combine(Path.GetTempPath(), "wejepa-generate-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    private string WriteScene(string yaml = SceneYaml, string name = "tiny.yaml")
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static SortedDictionary<string, byte[]> Snapshot(string folder) =>
        new(Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);

    [Test]
    public void NumpyReadsEveryArrayWithTheDocumentedShapes()
    {
        var scene = WriteScene();
        var output = Path.Combine(_root, "data");
        Assert.That(Program.Run(["generate", "--scene", scene, "--episodes", "5", "--steps", "7", "--shard-episodes", "2", "--out", output]), Is.Zero);

        // numpy checks each shard against meta.json: shapes (shard size, T, ...), dtypes, value ranges, sha256.
        const string check = """
            import hashlib, json, sys, numpy as np
            d = sys.argv[1]
            meta = json.load(open(f"{d}/meta.json"))
            T, shards = meta["steps"], meta["shards"]
            assert len(shards) == meta["shards_total"] == 3, shards
            total = 0
            for s in shards:
                k = s["episodes"]; total += k
                n = "%05d" % s["index"]
                for name in ("frames", "states", "energy"):
                    f = f"{d}/{name}-{n}.npy"
                    assert hashlib.sha256(open(f, "rb").read()).hexdigest() == s["sha256"][f"{name}-{n}.npy"], f
                frames, states, energy = (np.load(f"{d}/{name}-{n}.npy") for name in ("frames", "states", "energy"))
                assert frames.dtype == np.uint8 and frames.shape == (k, T, 3, 24, 32), frames.shape
                assert states.dtype == np.float32 and states.shape == (k, T, 2), states.shape
                assert energy.dtype == np.float32 and energy.shape == (k, T), energy.shape
                assert np.isfinite(states).all() and np.isfinite(energy).all()
                assert frames.std() > 5, "frames are not blank"
                assert (np.diff(energy, axis=1) <= 1e-4).all(), "damped energy never rises"
            assert total == meta["episodes"] == 5
            print("ok")
            """;
        Assert.That(Python.Run(check, output), Is.EqualTo("ok"));
        Assert.That(File.Exists(Path.Combine(output, "preview.png")), Is.True);
    }

    [Test]
    public void TheSameSeedGivesTheSameBytes()
    {
        var scene = WriteScene();
        var (a, b) = (Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        Assert.That(Program.Run(["generate", "--scene", scene, "--episodes", "3", "--out", a]), Is.Zero);
        Assert.That(Program.Run(["generate", "--scene", scene, "--episodes", "3", "--out", b]), Is.Zero);
        Assert.That(Snapshot(b), Is.EqualTo(Snapshot(a)));
        var c = Path.Combine(_root, "c");
        Assert.That(Program.Run(["generate", "--scene", scene, "--episodes", "3", "--out", c, "--seed", "12"]), Is.Zero);
        Assert.That(Snapshot(c)["frames-00000.npy"], Is.Not.EqualTo(Snapshot(a)["frames-00000.npy"]));
    }

    [Test]
    public void TheReferencePathWritesTheSameDatasetWithinFloatRounding()
    {
        var scene = WriteScene();
        var (gpu, cpu) = (Path.Combine(_root, "gpu"), Path.Combine(_root, "cpu"));
        Assert.That(Program.Run(["generate", "--scene", scene, "--episodes", "2", "--out", gpu]), Is.Zero);
        Assert.That(Program.Run(["generate", "--scene", scene, "--episodes", "2", "--out", cpu, "--reference"]), Is.Zero);
        var (a, b) = (Snapshot(gpu), Snapshot(cpu));
        Assert.That(b.Keys, Is.EqualTo(a.Keys));
        var (fa, fb) = (a["frames-00000.npy"], b["frames-00000.npy"]);
        Assert.That(fb, Has.Length.EqualTo(fa.Length));
        Assert.That(fa.Zip(fb, (x, y) => Math.Abs(x - y)).Max(), Is.LessThanOrEqualTo(2));
    }

    [Test]
    public void ResumingACompleteDatasetKeepsEveryFileAndItsMeta()
    {
        var scene = WriteScene();
        var data = Path.Combine(_root, "data");
        string[] args = ["generate", "--scene", scene, "--episodes", "2", "--out", data];
        Assert.That(Program.Run(args), Is.Zero);
        var before = Snapshot(data);
        Assert.That(Program.Run([.. args, "--resume"]), Is.Zero);
        Assert.That(Snapshot(data), Is.EqualTo(before), "nothing to redo: the same files, meta.json included");
        Assert.That(Program.Run([.. args, "--resume"]), Is.Zero, "and resumable again");
    }

    [Test]
    public void ResumingAfterAKillInTheMiddleOfAShardGivesTheSameBytes()
    {
        // Shards of 2 episodes × 1500 frames (32×24): long enough to kill the child mid-shard.
        var scene = WriteScene();
        string[] args = ["generate", "--scene", scene, "--episodes", "6", "--steps", "1500", "--shard-episodes", "2"];
        var whole = Path.Combine(_root, "whole");
        Assert.That(Program.Run([.. args, "--out", whole]), Is.Zero);

        var killed = Path.Combine(_root, "killed");
        using (var child = Cli.StartChild([.. args, "--out", killed]))
        {
            var clock = Stopwatch.StartNew();
            // Wait until shard 1's frames are being streamed under their temporary name, then kill -9.
            while (!Directory.Exists(killed) || !Directory.EnumerateFiles(killed, ".frames-00001.npy.tmp-*").Any())
            {
                Assert.That(child.HasExited, Is.False, "the child finished before it could be killed");
                Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(60), "timed out waiting for shard 1");
                Thread.Sleep(2);
            }
            child.Kill();
            child.WaitForExit();
        }
        Assert.That(File.Exists(Path.Combine(killed, "frames-00001.npy")), Is.False, "no partial shard under its final name");
        Assert.That(Directory.EnumerateFiles(killed, ".frames-00001.npy.tmp-*").Any(), Is.True, "the kill left the partial shard behind");
        var shard0 = File.GetLastWriteTimeUtc(Path.Combine(killed, "frames-00000.npy"));

        Assert.That(Program.Run([.. args, "--out", killed, "--resume"]), Is.Zero);
        Assert.That(Snapshot(killed), Is.EqualTo(Snapshot(whole)), "every file (hidden ones included) equals the uninterrupted run's");
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(killed, "frames-00000.npy")), Is.EqualTo(shard0), "the verified shard 0 was kept");
    }

    [Test]
    public void AMissingVulkanDriverIsExitCode3WithWhatToInstall()
    {
        var output = Path.Combine(_root, "data");
        var (code, _, stderr) = Exec("dotnet", [WejepaDll, "generate", "--scene", WriteScene(), "--out", output],
            ("VK_DRIVER_FILES", "/nonexistent.json"), ("VK_ICD_FILENAMES", "/nonexistent.json"));
        Assert.That(code, Is.EqualTo(ExitCodes.MissingDependency), stderr);
        Assert.That(stderr, Does.StartWith("error: ").And.Contain("apt-get install"));
        Assert.That(Directory.Exists(output), Is.False, "nothing written");
    }

    [Test]
    public void AMissingShaderFileIsExitCode3NamingIt()
    {
        var shader = Path.Combine(AppContext.BaseDirectory, "shaders", "render.spv");
        var moved = shader + ".moved";
        File.Move(shader, moved);
        try
        {
            var output = Path.Combine(_root, "data");
            var error = Fails(ExitCodes.MissingDependency, ["generate", "--scene", WriteScene(), "--out", output]);
            Assert.That(error, Does.Contain("render.spv"));
            Assert.That(Directory.Exists(output), Is.False, "nothing written");
        }
        finally
        {
            File.Move(moved, shader);
        }
    }

    [Test]
    public void AnUnwritableOutputFolderIsAClearError()
    {
        var error = Fails(ExitCodes.BadInput, ["generate", "--scene", WriteScene(), "--out", "/proc/wejepa-data"]);
        Assert.That(error, Does.Contain("/proc/wejepa-data"));
    }

    [Test]
    public void FramesThatCannotFitAreRefusedBeforeAnythingIsWritten()
    {
        var scene = WriteScene(SceneYaml.Replace("width: 32, height: 24", "width: 8192, height: 8192"), "huge.yaml");
        var output = Path.Combine(_root, "data");
        var error = Fails(ExitCodes.BadInput, ["generate", "--scene", scene, "--out", output]);
        Assert.That(error, Does.Contain("huge.yaml").And.Contain("8192x8192").And.Contain("Camera"));
        Assert.That(Directory.Exists(output), Is.False);

        // 4×4 frames, but one shard of 200,000 × 2,000 frames: 4.8 GB of trajectories on the device.
        var tiny = WriteScene(SceneYaml.Replace("width: 32, height: 24", "width: 4, height: 4"), "tiny-frames.yaml");
        error = Fails(ExitCodes.BadInput, ["generate", "--scene", tiny, "--episodes", "200000", "--steps", "2000",
            "--shard-episodes", "200000", "--out", output]);
        Assert.That(error, Does.Contain("device memory").And.Contain("--shard-episodes"));
        Assert.That(Directory.Exists(output), Is.False);

        var tooMany = WriteScene(SceneYaml.Replace("width: 32, height: 24", "width: 1024, height: 1024"), "long.yaml");
        error = Fails(ExitCodes.BadInput, ["generate", "--scene", tooMany, "--episodes", "100000", "--steps", "100000", "--out", output]);
        Assert.That(error, Does.Contain("GiB"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [TestCase("--episodes", "0")]
    [TestCase("--steps", "0")]
    [TestCase("--shard-episodes", "0")]
    public void BadOptionsAreExitCode2(string option, string value)
    {
        var output = Path.Combine(_root, "data");
        var error = Fails(ExitCodes.BadInput, ["generate", "--scene", WriteScene(), "--out", output, option, value]);
        Assert.That(error, Does.Contain(option));
        Assert.That(Directory.Exists(output), Is.False);
    }

    private static string WejepaDll => typeof(Program).Assembly.Location;


    private static (int Code, string Stdout, string Stderr) Exec(string file, IEnumerable<string> args, params (string, string)[] env)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>Runs the CLI in-process, checks it exits with <paramref name="expectedCode"/>, returns its stderr.</summary>
    private static string Fails(int expectedCode, string[] args)
    {
        var (code, _, stderr) = Cli.Run(args);
        Assert.That(code, Is.EqualTo(expectedCode), stderr);
        return stderr;
    }
}
