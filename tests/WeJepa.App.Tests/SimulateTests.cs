using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

public class SimulateTests : TempFolderTest
{
    private (int Code, string Err) Simulate(string outName, string scene = "pendulum.yaml", params string[] extra)
    {
        var (code, _, err) = Cli.Run(["simulate", "--scene", Cli.Scene(scene), "--envs", "5", "--steps", "40", "--out", Path.Combine(Dir, outName), .. extra]);
        return (code, err);
    }

    private Dictionary<string, byte[]> Files(string outName) =>
        Directory.GetFiles(Path.Combine(Dir, outName)).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Test]
    public void SameSeedGivesByteIdenticalOutputs()
    {
        Assert.That(Simulate("a"), Is.EqualTo((0, "")));
        Assert.That(Simulate("b"), Is.EqualTo((0, "")));
        var (a, b) = (Files("a"), Files("b"));
        Assert.That(a.Keys.Order(), Is.EqualTo(new[] { "energy.npy", "meta.json", "scene.yaml", "states.npy" }));
        foreach (var name in a.Keys) Assert.That(b[name], Is.EqualTo(a[name]), name);
    }

    [Test]
    public void DifferentSeedGivesDifferentStates()
    {
        Assert.That(Simulate("a", "pendulum.yaml", "--seed", "1").Code, Is.Zero);
        Assert.That(Simulate("b", "pendulum.yaml", "--seed", "2").Code, Is.Zero);
        Assert.That(Files("b")["states.npy"], Is.Not.EqualTo(Files("a")["states.npy"]));
        Assert.That(Files("b")["energy.npy"], Is.Not.EqualTo(Files("a")["energy.npy"]));
    }

    [TestCase("pendulum.yaml", 2)]
    [TestCase("double.yaml", 4)]
    public void NumpyLoadsTheOutputsWithTheRightShapesAndValues(string scene, int stateSize)
    {
        Assert.That(Simulate("run", scene).Code, Is.Zero);
        var run = Path.Combine(Dir, "run");
        var output = Python.Run("""
            import sys, json, numpy as np
            s = np.load(sys.argv[1] + "/states.npy"); e = np.load(sys.argv[1] + "/energy.npy")
            meta = json.load(open(sys.argv[1] + "/meta.json"))
            assert list(s.shape) == meta["states"]["shape"] and list(e.shape) == meta["energy"]["shape"]
            print(s.dtype, s.shape, e.dtype, e.shape)
            print(repr(float(s[3, 17, 1])), repr(float(e[4, 40])))
            """, run);
        var lines = output.Split('\n');
        Assert.That(lines[0], Is.EqualTo($"float32 (5, 41, {stateSize}) float32 (5, 41)"));
        // The values are the reference simulator's, rounded to float32.
        var t = ReferenceSimulator.Run(SceneLoader.Load(Cli.Scene(scene)), envs: 5, steps: 40);
        var values = lines[1].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.That(values[0], Is.EqualTo((double)(float)t.State(3, 17)[1]));
        Assert.That(values[1], Is.EqualTo((double)(float)t.Energy(4, 40).Total));
        Assert.That(Npy.Read(Path.Combine(run, "states.npy")).AsFloat32()[(3 * 41 + 17) * stateSize + 1], Is.EqualTo((float)t.State(3, 17)[1]));
    }

    [Test]
    public void MetaDescribesTheRun()
    {
        Assert.That(Simulate("run", "double.yaml", "--seed", "77").Code, Is.Zero);
        var meta = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "run", "meta.json"))).RootElement;
        Assert.That(meta.GetProperty("scene").GetString(), Is.EqualTo("double"));
        Assert.That(meta.GetProperty("seed").GetUInt64(), Is.EqualTo(77));
        Assert.That(meta.GetProperty("dt").GetDouble(), Is.EqualTo(0.002));
        Assert.That(meta.GetProperty("integrator").GetString(), Is.EqualTo("rk4"));
        Assert.That(meta.GetProperty("states").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 5, 41, 4 }));
        Assert.That(meta.GetProperty("state_names").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "theta1", "theta2", "omega1", "omega2" }));
    }

    public static IEnumerable<string> BadScenes() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "BadScenes"), "*.yaml").Select(Path.GetFileName).Order()!;

    [TestCaseSource(nameof(BadScenes))]
    public void BrokenSceneExitsTwoWithOneLineAndNoOutputFolder(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "BadScenes", name);
        var expect = File.ReadLines(path).First()["# expect:".Length..].Trim().Split(' ');
        var (code, _, err) = Cli.Run("simulate", "--scene", path, "--out", Path.Combine(Dir, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.StartWith($"error: {path}:{expect[0]}: "));
        Assert.That(err.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty, "nothing written");
    }

    [TestCase("--envs", "0", "--envs: must be ≥ 1, got 0")]
    [TestCase("--steps", "0", "--steps: must be ≥ 1, got 0")]
    [TestCase("--steps", "100000000", "one run may write at most")]
    public void BadOptionsExitTwoAndWriteNothing(string option, string value, string message)
    {
        var (code, _, err) = Cli.Run("simulate", "--scene", Cli.Scene("pendulum.yaml"), option, value, "--out", Path.Combine(Dir, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain(message));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }

    [Test]
    public void MissingSceneFileExitsTwoAndWritesNothing()
    {
        var missing = Path.Combine(Dir, "nope.yaml");
        var (code, _, err) = Cli.Run("simulate", "--scene", missing, "--out", Path.Combine(Dir, "out"));
        Assert.That((code, err), Is.EqualTo((2, $"error: {missing}: scene file not found\n")));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }
}
