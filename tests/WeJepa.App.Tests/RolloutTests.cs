using System.Text.Json.Nodes;
using WeJepa.Core.IO;

namespace WeJepa.App.Tests;

/// <summary><c>wejepa rollout</c> on a briefly trained checkpoint: its files, its metrics, its refusals.</summary>
public class RolloutTests
{
    string dir = "";

    [SetUp]
    public void SetUp()
    {
        dir = Directory.CreateTempSubdirectory("rollout-test").FullName;
        var data = Path.Combine(dir, "sim");
        Assert.That(Cli.Run("simulate", "--scene", Cli.Scene("pendulum.yaml"), "--envs", "4", "--steps", "30", "--out", data).Item1, Is.Zero);
        var config = Path.Combine(dir, "c.yaml");
        File.WriteAllText(config, "hidden: 16\nsteps: 3\n");
        foreach (var model in new[] { "hnn", "mlp" })
            Assert.That(Cli.Run("train", "dynamics", "--model", model, "--data", data, "--config", config, "--out", Path.Combine(dir, model)).Item1, Is.Zero);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    [TestCase("rk4")]
    [TestCase("leapfrog")]
    [TestCase("midpoint")]
    public void WritesStatesBesideTheReferenceMetricsAndCharts(string integrator)
    {
        var output = Path.Combine(dir, "out");
        var (code, stdout, err) = Cli.Run("rollout", "--checkpoint", Path.Combine(dir, "hnn"), "--scene", Cli.Scene("pendulum.yaml"),
            "--envs", "3", "--steps", "20", "--integrator", integrator, "--out", output);
        Assert.That(code, Is.Zero, err);
        Assert.That(stdout, Does.Contain("3 trajectories × 20 steps"));
        Assert.That(Directory.GetFiles(output).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "energy.png", "metrics.json", "phase.png", "states.npy", "strip.png", "theta.png", "true_states.npy" }));
        var (learned, truth) = (Npy.Read(Path.Combine(output, "states.npy")), Npy.Read(Path.Combine(output, "true_states.npy")));
        Assert.That(learned.Shape, Is.EqualTo(new[] { 3, 21, 2 }));
        Assert.That(truth.Shape, Is.EqualTo(learned.Shape));
        Assert.That(learned.AsFloat32().Take(2), Is.EqualTo(truth.AsFloat32().Take(2)), "both start from the same state");
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")))!.AsObject();
        Assert.That(metrics.Select(kv => kv.Key), Is.SupersetOf(new[] { "mse_at_step_1", "mse_at_step_10", "mse_at_step_20", "relative_energy_drift_learned",
            "relative_energy_drift_reference", "relative_learned_h_drift" }));
        Assert.That(metrics["relative_energy_drift_reference"]!.GetValue<double>(), Is.LessThan(1e-6), "the reference conserves energy");
    }

    [Test]
    public void LeapfrogIsRefusedForTheMlpWithNothingWritten()
    {
        var output = Path.Combine(dir, "out");
        var (code, _, err) = Cli.Run("rollout", "--checkpoint", Path.Combine(dir, "mlp"), "--integrator", "leapfrog", "--steps", "5", "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("leapfrog needs an HNN"));
        Assert.That(Directory.Exists(output), Is.False);
    }

    [Test]
    public void AnOutputFolderHoldingForeignFilesOrTheCheckpointIsRefusedBeforeAnyWork()
    {
        var output = Path.Combine(dir, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        var (code, _, err) = Cli.Run("rollout", "--checkpoint", Path.Combine(dir, "hnn"), "--steps", "5", "--out", output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("notes.txt"));
        Assert.That(File.ReadAllText(Path.Combine(output, "notes.txt")), Is.EqualTo("mine"));
        (code, _, err) = Cli.Run("rollout", "--checkpoint", Path.Combine(dir, "hnn"), "--steps", "5", "--out", dir);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("holds the input"));
    }

    [Test]
    public void AFileThatIsNotACheckpointIsRejected()
    {
        var foreign = Path.Combine(dir, "foreign.safetensors");
        var weights = Safetensors.Read(Path.Combine(dir, "hnn", "model.safetensors"));
        Safetensors.Write(foreign, weights.Tensors); // the same weights without our metadata (e.g. saved by PyTorch)
        var (code, _, err) = Cli.Run("rollout", "--checkpoint", foreign, "--steps", "5", "--out", Path.Combine(dir, "out"));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(err, Does.Contain("metadata"));
    }

    [Test]
    public void TheWeightsFileAloneRollsOutLikeTheCheckpoint()
    {
        string[] Args(string checkpoint, string output) => ["rollout", "--checkpoint", checkpoint, "--envs", "2", "--steps", "5", "--out", output];
        Assert.That(Cli.Run(Args(Path.Combine(dir, "hnn", "model.safetensors"), Path.Combine(dir, "a"))).Item1, Is.Zero);
        Assert.That(Cli.Run(Args(Path.Combine(dir, "hnn"), Path.Combine(dir, "b"))).Item1, Is.Zero);
        Assert.That(Npy.Read(Path.Combine(dir, "a", "states.npy")).AsFloat32(), Is.EqualTo(Npy.Read(Path.Combine(dir, "b", "states.npy")).AsFloat32()));
    }
}
