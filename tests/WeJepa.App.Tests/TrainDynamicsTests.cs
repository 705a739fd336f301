using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary><c>wejepa train dynamics</c> end to end: data formats, bad input, divergence, config handling.</summary>
public class TrainDynamicsTests
{
    string dir = "";

    [SetUp]
    public void SetUp() => dir = Directory.CreateTempSubdirectory("train-dynamics-test").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    string Config(string yaml)
    {
        var path = Path.Combine(dir, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    const string Small = "hidden: 16\nsteps: 5\nlog_every: 1\ncheckpoint_every: 1\n";

    (int Code, string Out, string Err) Train(string data, string model = "hnn", string config = Small, params string[] extra) =>
        Cli.Run(["train", "dynamics", "--model", model, "--data", data, "--config", Config(config), "--out", Path.Combine(dir, "run"), .. extra]);

    [Test]
    public void TrainsOnASimulateOutputWithExactDerivatives()
    {
        var data = Path.Combine(dir, "sim");
        Assert.That(Cli.Run("simulate", "--scene", Cli.Scene("pendulum.yaml"), "--envs", "4", "--steps", "30", "--out", data).Item1, Is.Zero);
        var (code, stdout, err) = Train(data);
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Contain("derivatives: exact"));
        Assert.That(stdout, Does.Contain("step 5: train loss"));
        var run = Path.Combine(dir, "run");
        foreach (var f in new[] { "checkpoint.safetensors", "model.safetensors", "config.yaml", "metrics.jsonl", "loss.png" })
            Assert.That(File.Exists(Path.Combine(run, f)), f);
        Assert.That(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")), Has.Length.EqualTo(5));
    }

    [Test]
    public void TrainsOnAFolderWrittenByNumpyWithFiniteDifferences()
    {
        var data = Path.Combine(dir, "ext");
        Python.Run("""
            import json, os, sys, numpy as np
            d = sys.argv[1]; os.makedirs(d)
            t = np.linspace(0, 3, 31)
            q = np.stack([a * np.cos(t) for a in (0.5, 1.0, 1.5)]); p = np.stack([-a * np.sin(t) for a in (0.5, 1.0, 1.5)])
            np.save(os.path.join(d, "states.npy"), np.stack([q, p], -1).astype(np.float64))
            json.dump({"dt": 0.1}, open(os.path.join(d, "meta.json"), "w"))
            """, data);
        var (code, _, err) = Train(data, "mlp");
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Contain("finite differences"));
    }

    static readonly object[] Malformed =
    [
        new object[] { "np.zeros((3, 10), np.float32)", null!, "{\"dt\": 0.1}", "rank 3" },
        new object[] { "np.full((2, 10, 2), np.nan, np.float32)", null!, "{\"dt\": 0.1}", "non-finite" },
        new object[] { "np.zeros((2, 2, 2), np.float32)", null!, "{\"dt\": 0.1}", "at least 3" },
        new object[] { "np.zeros((2, 10, 2), np.float32)", "np.zeros((2, 9, 2), np.float32)", "{\"dt\": 0.1}", "does not match" },
        new object[] { "np.zeros((2, 10, 2), np.float32)", null!, "{\"steps\": 3}", "\"dt\"" },
        new object[] { "np.zeros((2, 10, 3), np.float32)", null!, "{\"dt\": 0.1}", "2d = (q, v)" },
    ];

    [TestCaseSource(nameof(Malformed))]
    public void MalformedExternalDataIsRejectedWithNothingWritten(string states, string? derivatives, string meta, string message)
    {
        var data = Path.Combine(dir, "bad");
        Python.Run($"""
            import os, sys, numpy as np
            d = sys.argv[1]; os.makedirs(d)
            np.save(os.path.join(d, "states.npy"), {states})
            {(derivatives is null ? "" : $"np.save(os.path.join(d, 'derivatives.npy'), {derivatives})")}
            open(os.path.join(d, "meta.json"), "w").write(sys.argv[2])
            """, data, meta);
        var (code, _, err) = Train(data);
        Assert.That(code, Is.EqualTo(2), err);
        Assert.That(err, Does.StartWith("error: ").And.Contain(message));
        Assert.That(Directory.Exists(Path.Combine(dir, "run")), Is.False, "nothing written");
    }

    [Test]
    public void ADivergingRunExitsWithFourAndKeepsTheLastGoodCheckpoint()
    {
        var data = Path.Combine(dir, "sim");
        Cli.Run("simulate", "--scene", Cli.Scene("pendulum.yaml"), "--envs", "4", "--steps", "30", "--out", data);
        var (code, _, err) = Train(data, "mlp", Small + "lr: 1.0e+30\nweight_decay: 0\n");
        Assert.That(code, Is.EqualTo(4), err);
        Assert.That(err, Does.Contain("diverged").And.Contain("last good checkpoint"));
        var checkpoint = Safetensors.Read(Path.Combine(dir, "run", "checkpoint.safetensors"));
        Assert.That(checkpoint.Tensors["net.0.weight"].ToFloat32(), Is.All.Matches<float>(float.IsFinite));
    }

    [Test]
    public void ADrivenPendulumTrainsWithTimeAsAnInputAndItsCheckpointsSaySo()
    {
        var data = Path.Combine(dir, "sim");
        Assert.That(Cli.Run("simulate", "--scene", Cli.Scene("driven.yaml"), "--envs", "3", "--steps", "30", "--out", data).Item1, Is.Zero);
        var (code, _, err) = Train(data, "hnn", Small + "time_input: true\n");
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Contain("time as an input"));
        foreach (var file in new[] { "checkpoint.safetensors", "model.safetensors" })
        {
            var st = Safetensors.Read(Path.Combine(dir, "run", file));
            Assert.That(st.Metadata["time_input"], Is.EqualTo("true"), file);
            Assert.That(st.Metadata["momentum"], Is.EqualTo("velocity"), file);
            Assert.That(st.Tensors["net.0.weight"].Shape, Is.EqualTo(new long[] { 16, 3 }), $"{file}: the net takes (θ, ω, t)");
        }
        var output = Path.Combine(dir, "out");
        var rollout = Cli.Run("rollout", "--checkpoint", Path.Combine(dir, "run"), "--scene", Cli.Scene("driven.yaml"), "--envs", "2", "--steps", "10", "--out", output);
        Assert.That(rollout.Item1, Is.Zero, rollout.Item3);
        Assert.That(Npy.Read(Path.Combine(output, "states.npy")).Shape, Is.EqualTo(new[] { 2, 11, 2 }));
    }

    [Test]
    public void AnHnnOnTheDoublePendulumLearnsInCanonicalMomentaAndRollsOutInVelocities()
    {
        var data = Path.Combine(dir, "sim");
        Assert.That(Cli.Run("simulate", "--scene", Cli.Scene("double.yaml"), "--envs", "3", "--steps", "30", "--out", data).Item1, Is.Zero);
        var (code, _, err) = Train(data, "hnn");
        Assert.That(code, Is.Zero, err);
        Assert.That(err, Does.Contain("canonical momenta"));
        var st = Safetensors.Read(Path.Combine(dir, "run", "model.safetensors"));
        Assert.That((st.Metadata["momentum"], st.Metadata["degrees"], st.Metadata["time_input"]), Is.EqualTo(("canonical", "2", "false")));
        Assert.That(st.Tensors["J"].Shape, Is.EqualTo(new long[] { 4, 4 }));
        var output = Path.Combine(dir, "out");
        var rollout = Cli.Run("rollout", "--checkpoint", Path.Combine(dir, "run"), "--scene", Cli.Scene("double.yaml"), "--envs", "2", "--steps", "10", "--out", output);
        Assert.That(rollout.Item1, Is.Zero, rollout.Item3);
        var (learned, truth) = (Npy.Read(Path.Combine(output, "states.npy")).AsFloat32(), Npy.Read(Path.Combine(output, "true_states.npy")).AsFloat32());
        Assert.That(learned.Take(4), Is.EqualTo(truth.Take(4)).Within(1e-5), "the learned trajectory starts from the same (q, v), mapped there and back");
    }

    [Test]
    public void TimeAsAnInputIsRefusedForTheLnn()
    {
        var (code, _, err) = Cli.Run("train", "dynamics", "--model", "lnn", "--config", Config("time_input: true\n"), "--print-config");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("time_input").And.Contain("lnn"));
    }

    [Test]
    public void UnknownConfigKeysAreRejectedNamingFileLineAndKey()
    {
        var (code, _, err) = Cli.Run("train", "dynamics", "--config", Config("hidden: 8\nlearning_rate: 0.1\n"), "--print-config");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("config.yaml:2:").And.Contain("learning_rate"));
    }

    [Test]
    public void PrintConfigShowsTheResolvedSettingsAsYaml()
    {
        var (code, stdout, _) = Cli.Run("train", "dynamics", "--model", "lnn", "--config", Config("{\"hidden\": 8}"), "--print-config");
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("model: lnn").And.Contain("hidden: 8").And.Contain("optimizer: adam"));
    }
}

/// <summary><c>wejepa bench dynamics --protocol hnn-pendulum</c> at toy size: the table with the paper's numbers beside ours.</summary>
public class BenchDynamicsTests
{
    [Test]
    public void PrintsThePaperTableBesideOurs()
    {
        var (code, stdout, err) = Cli.Run("bench", "dynamics", "--protocol", "hnn-pendulum", "--seeds", "2", "--steps", "3", "--hidden", "8");
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("baseline").And.Contain("hnn").And.Contain("paper").And.Contain("3.261e-002 ± 1.7e-003").And.Contain("2.485e-002 ± 5.4e-003"));
        Assert.That(err.Split('\n').Count(l => l.StartsWith("seed ")), Is.EqualTo(4));
    }

    [Test]
    public void PrintsTheDoublePendulumTableOfTheLnnTheHnnAndTheBaseline()
    {
        var (code, stdout, err) = Cli.Run("bench", "dynamics", "--protocol", "lnn-double", "--seeds", "1", "--steps", "2", "--hidden", "8", "--rollout-steps", "20");
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("baseline").And.Contain("lnn").And.Contain("hnn d=2").And.Contain("energy error"));
        Assert.That(err.Split('\n').Count(l => l.StartsWith("seed 0 ")), Is.EqualTo(3));
    }
}
