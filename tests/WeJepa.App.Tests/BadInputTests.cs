using System.Diagnostics;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// The CLI's bad-input corpus beyond broken scenes (those are <c>BadScenes/</c>, run through every command by
/// <see cref="SimulateTests"/>): inputs and output paths that once crashed, hung, exhausted memory or deleted
/// the user's files. Each case: exit 2, one <c>error:</c> line naming the path or option, nothing written,
/// nothing the user owns changed. Crashes, hangs and memory blow-ups run out of process under a time limit.
/// </summary>
public class BadInputTests : TempFolderTest
{
    private static string Fixture(string name) => Repository.File("tests", "fixtures", name);

    /// <summary>Every file under the test folder with its bytes (what "nothing changed" compares).</summary>
    private Dictionary<string, string> Snapshot() => Directory.GetFileSystemEntries(Dir, "*", SearchOption.AllDirectories)
        .ToDictionary(p => p, p => FileKinds.Of(p, followLinks: false) is var kind && kind == FileKind.Regular
            ? Hash(p)
            : kind.ToString()); // never read a FIFO: that blocks

    private static string Hash(string path)
    {
        try { return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path))); }
        catch (IOException) { return "locked"; } // a held .wejepa.lock
    }

    /// <summary>Runs the CLI in-process; checks exit 2, one error line containing every word, and that nothing under the folder changed.</summary>
    private string Refused(string[] args, params string[] words)
    {
        var before = Snapshot();
        var (code, _, err) = Cli.Run(args);
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: "));
        Assert.That(err.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        foreach (var word in words) Assert.That(err, Does.Contain(word));
        Assert.That(Snapshot(), Is.EqualTo(before), "nothing written, deleted or changed");
        return err;
    }

    private string Copy(string source, string relative)
    {
        var path = Path.Combine(Dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(source, path);
        return path;
    }

    private static string[] Simulate(string scene, string output) => ["simulate", "--scene", scene, "--out", output, "--envs", "2", "--steps", "5"];

    private static string[] Generate(string scene, string output) => ["generate", "--scene", scene, "--out", output, "--reference", "--episodes", "2", "--steps", "3"];

    [Test]
    public void AnOutputFolderHoldingTheSceneIsRefusedAndKept()
    {
        var scene = Copy(Cli.Scene("pendulum.yaml"), "run/scene.yaml");
        File.WriteAllText(Path.Combine(Dir, "run", "notes.txt"), "mine");
        Refused(Simulate(scene, Path.Combine(Dir, "run")), "--out", "holds the input", scene);
        Refused(["demo", "--scene", scene, "--out", Path.Combine(Dir, "run"), "--quick"], "holds the input");
        Refused(Generate(scene, Path.Combine(Dir, "run")), "holds the input");
        var nested = Copy(Cli.Scene("pendulum.yaml"), "top/inner/scene.yaml");
        Refused(Simulate(nested, Path.Combine(Dir, "top")), "holds the input", nested);
    }

    [Test]
    public void AnOutputFolderWithFilesTheCommandDidNotWriteIsNotReplaced()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(Dir, "run")).FullName, "notes.txt"), "mine");
        Refused(Simulate(Cli.Scene("pendulum.yaml"), Path.Combine(Dir, "run")), "holds files this command did not write (notes.txt)");
        File.Delete(Path.Combine(Dir, "run", "notes.txt"));
        // Its own earlier outputs are still replaced: rerunning into the same folder works.
        Assert.That(Cli.Run(Simulate(Cli.Scene("pendulum.yaml"), Path.Combine(Dir, "run"))).Code, Is.Zero);
        Assert.That(Cli.Run(Simulate(Cli.Scene("double.yaml"), Path.Combine(Dir, "run"))).Code, Is.Zero);
    }

    [Test]
    public void TheCurrentFolderIsNeverTheFolderThatGetsReplaced()
    {
        var scene = Copy(Cli.Scene("pendulum.yaml"), "scene.yaml");
        var old = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Dir);
        try
        {
            Refused(Simulate("scene.yaml", "."), "--out .", "holds the input scene.yaml");
            File.Delete(scene);
            Refused(Simulate(Cli.Scene("pendulum.yaml"), "."), "--out .", "is the current folder");
            Refused(["demo", "--out", "."], "is the current folder");
        }
        finally { Directory.SetCurrentDirectory(old); }
    }

    [TestCase("simulate")]
    [TestCase("generate")]
    [TestCase("grad")]
    public void AnEmptyOutPathNamesTheOption(string command)
    {
        string[] args = command switch
        {
            "simulate" => Simulate(Cli.Scene("pendulum.yaml"), ""),
            "generate" => Generate(Cli.Scene("pendulum.yaml"), ""),
            _ => ["grad", "--model", "hnn", "--weights", Fixture("models-hnn-weights.safetensors"), "--batch", Fixture("models-hnn-batch.safetensors"), "--out", "", "--device", "cpu"],
        };
        Refused(args, "--out: the path is empty");
    }

    [Test]
    public void ASecondGenerateIntoALockedFolderIsRefused()
    {
        var data = Directory.CreateDirectory(Path.Combine(Dir, "data")).FullName;
        using (FileLock.Acquire(data)) // as a first run holds it for its whole length
            Refused(Generate(Cli.Scene("pendulum.yaml"), data), $"{data}: another run is writing into this folder");
        Assert.That(Cli.Run(Generate(Cli.Scene("pendulum.yaml"), data)).Code, Is.Zero, "the folder is free again");
        Assert.That(File.Exists(Path.Combine(data, FileLock.FileName)), Is.False, "no lock file left behind");
    }

    [Test]
    public void ADivergingSimulationIsRefusedBeforeWriting()
    {
        // Each field is in range, but rk4 with damping·dt = 1000 amplifies by ~4e10 per step: Inf within a few steps.
        var yaml = File.ReadAllText(Cli.Scene("pendulum.yaml")).Replace("dt: 0.01", "dt: 1").Replace("damping: 0.0", "damping: 1000");
        var scene = Path.Combine(Dir, "stiff.yaml");
        File.WriteAllText(scene, yaml);
        Refused(Simulate(scene, Path.Combine(Dir, "out")), $"{scene}: the simulation diverged: env 0", "lower scene.dt (now 1 s)");
        Refused(Generate(scene, Path.Combine(Dir, "data")), $"{scene}: the simulation diverged: episode 0");
    }

    [Test]
    public void GradOutputsNeverReplaceAnInputANodeOrAFifo()
    {
        var weights = Copy(Fixture("models-hnn-weights.safetensors"), "w.safetensors");
        var batch = Copy(Fixture("models-hnn-batch.safetensors"), "b.safetensors");
        string[] Grad(string output) => ["grad", "--model", "hnn", "--weights", weights, "--batch", batch, "--out", output, "--device", "cpu"];
        Refused(Grad(weights), "--out", "is also an input of this run");
        Refused(Grad(batch), "--out", "is also an input of this run");
        var fifo = Path.Combine(Dir, "fifo");
        Assume.That(Process.Start("mkfifo", fifo)!.WaitForExit(5000));
        Refused(Grad(fifo), $"--out {fifo}: is a FIFO (named pipe)");
        Assert.That(FileKinds.Of(fifo), Is.EqualTo(FileKind.Fifo));
        var node = Path.Combine(Dir, "null");
        if (Environment.UserName == "root" && Process.Start("mknod", [node, "c", "1", "3"])!.WaitForExit(5000) && FileKinds.Of(node) == FileKind.CharacterDevice)
        {
            // As root, the atomic rename once replaced a device node with a regular file.
            Refused(Grad(node), $"--out {node}: is a character device");
            Assert.That(FileKinds.Of(node), Is.EqualTo(FileKind.CharacterDevice));
        }
    }

    [TestCase("hnn", "hnn", "x:0,2", "dxdt:0,2")]
    [TestCase("lnn", "lnn", "q:0,5,1", "v:0,5,1", "dt:1")]
    [TestCase("vit-layer", "vitlayer", "x:2,0,32", "target:2,0,32")] // zero tokens once killed the process with an assertion
    public void AnEmptyBatchIsRefused(string model, string fixture, params string[] tensors)
    {
        var batch = Path.Combine(Dir, "b.safetensors");
        Safetensors.Write(batch, tensors.Select(t =>
        {
            var shape = t.Split(':')[1].Split(',').Select(long.Parse).ToArray();
            return KeyValuePair.Create(t.Split(':')[0], SafetensorsTensor.FromFloat32(new float[shape.Aggregate(1L, (a, d) => a * d)].Select(_ => 0.01f).ToArray(), shape));
        }));
        Refused(["grad", "--model", model, "--weights", Fixture($"models-{fixture}-weights.safetensors"), "--batch", batch,
            "--out", Path.Combine(Dir, "g.safetensors"), "--device", "cpu", .. model == "vit-layer" ? new[] { "--heads", "4" } : []],
            batch, "an empty batch has no loss");
    }

    [Test]
    public void ABatchWithNaNOrAnInvalidHeaderIsRefused()
    {
        var batch = Path.Combine(Dir, "b.safetensors");
        Safetensors.Write(batch, [KeyValuePair.Create("x", SafetensorsTensor.FromFloat32([0.1f, float.NaN], 1, 2)), KeyValuePair.Create("dxdt", SafetensorsTensor.FromFloat32([0, 0], 1, 2))]);
        string[] grad = ["grad", "--model", "hnn", "--weights", Fixture("models-hnn-weights.safetensors"), "--batch", batch, "--out", Path.Combine(Dir, "g.safetensors"), "--device", "cpu"];
        Refused(grad, $"{batch}: tensor 'x' holds NaN at element 1");
        var bytes = File.ReadAllBytes(batch);
        bytes[10] = 0xFF; // inside the header JSON's first name
        File.WriteAllBytes(batch, bytes);
        Refused(grad, $"{batch}: invalid safetensors file: the header is not UTF-8 text");
    }

    [Test]
    public void DeviceNodesAsInputsAreRefusedNamingTheirRole()
    {
        Refused(["scene", "check", "/dev/zero"], "/dev/zero: is a character device, expected a regular scene file");
        Refused(["grad", "--model", "hnn", "--weights", "/dev/zero", "--batch", Fixture("models-hnn-batch.safetensors"), "--out", Path.Combine(Dir, "g.safetensors"), "--device", "cpu"],
            "/dev/zero: is a character device, expected a regular weights file");
        Refused(["grad", "--model", "hnn", "--weights", Fixture("models-hnn-weights.safetensors"), "--batch", "/dev/zero", "--out", Path.Combine(Dir, "g.safetensors"), "--device", "cpu"],
            "regular batch file");
    }

    /// <summary>Failures that killed or hung the process: each runs in a child under a time limit.</summary>
    [TestCase("deep", "nested deeper than 64 levels")]       // stack overflow, exit 134
    [TestCase("self-anchor-key", "(a cycle)")]                // stack overflow
    [TestCase("alias-bomb-key", "more than 100000 nodes")]    // minutes of hashing
    [TestCase("dev-zero", "is a character device")]           // out of memory
    [TestCase("fifo", "is a FIFO (named pipe)")]              // blocked forever in open()
    public void CrashHangAndMemoryCasesExitTwoInSeconds(string kind, string message)
    {
        var scene = Path.Combine(Dir, "scene.yaml");
        switch (kind)
        {
            case "deep": File.WriteAllText(scene, "scene: " + new string('[', 30000) + new string(']', 30000) + "\n"); break;
            case "self-anchor-key": File.WriteAllText(scene, "? &a [*a]\n: 1\n"); break;
            case "alias-bomb-key":
                File.WriteAllText(scene, "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 8)
                    .Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n")) + "? *a8\n: 1\n");
                break;
            case "dev-zero": scene = "/dev/zero"; break;
            case "fifo": Assume.That(Process.Start("mkfifo", scene)!.WaitForExit(5000)); break;
        }
        var (code, stderr, seconds) = OutOfProcess(["simulate", "--scene", scene, "--out", Path.Combine(Dir, "out")], timeoutSeconds: 60);
        Assert.That(code, Is.EqualTo(2), stderr);
        Assert.That(stderr, Does.StartWith($"error: {scene}").And.Contain(message));
        Assert.That(stderr.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1));
        Assert.That(seconds, Is.LessThan(30));
        Assert.That(Directory.Exists(Path.Combine(Dir, "out")), Is.False);
    }

    /// <summary>Runs <c>dotnet wejepa.dll ARGS</c>; a child still running after the limit is killed and fails the test.</summary>
    private static (int Code, string Stderr, double Seconds) OutOfProcess(string[] args, int timeoutSeconds)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var child = Process.Start(info)!;
        var stderr = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.ReadToEndAsync();
        if (!child.WaitForExit(timeoutSeconds * 1000))
        {
            child.Kill(entireProcessTree: true);
            Assert.Fail($"wejepa {string.Join(' ', args)} still ran after {timeoutSeconds} s");
        }
        return (child.ExitCode, stderr.Result, clock.Elapsed.TotalSeconds);
    }
}
