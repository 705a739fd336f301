using WeJepa.Core.IO;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Tests.Learning;

namespace WeJepa.Training.Tests.Training;

/// <summary>Stopping at step k and resuming gives the uninterrupted run's losses and weights bit for bit (CPU).</summary>
public class ResumeTests
{
    string dir = "";

    [SetUp]
    public void SetUp() => dir = Directory.CreateTempSubdirectory("resume-test").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(dir, recursive: true);

    static TrainingSplit Split()
    {
        var scene = LearnedDynamics.Scene("      Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81, damping: 0.0 }",
            "      InitialState: { theta: { uniform: [-1.0, 1.0] }, omega: { uniform: [-1.0, 1.0] } }", dt: 0.1, envs: 6, steps: 20);
        return TrainingSplit.Of(TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene)), testFraction: 0.34, noise: 0.05, seed: 1);
    }

    static DynamicsConfig Config(string model, int steps) => new DynamicsConfig
    {
        Model = model, Hidden = 16, Steps = steps, BatchSize = 32, Schedule = "cosine", WarmupSteps = Math.Min(2, steps), LogEvery = 1, CheckpointEvery = 1, Seed = 5,
        Optimizer = model == "mlp" ? "adamw" : "adam",
    }.Validate();

    (List<DynamicsMetrics> Metrics, float[] Weights) Train(string run, string model, int steps, bool resume)
    {
        using var trainer = new DynamicsTrainer(CpuDevice.Instance, Config(model, steps), Split(), 1, Path.Combine(dir, run));
        trainer.Run(resume);
        return (trainer.Metrics.ToList(), trainer.Model.Parameters.ToArray());
    }

    /// <summary>
    /// clip_grad reaches the update: Adam's step is scale-free (≈ lr·sign(g)) until |g| nears its ε = 1e-8, so a clip at
    /// 1e-10 shrinks the first step's change ~3500-fold (measured), and one far above the norm changes nothing.
    /// </summary>
    [Test]
    public void GradientClippingReachesTheUpdate()
    {
        float[] FirstStepChange(double clip)
        {
            var config = Config("hnn", 1);
            (config.ClipGrad, config.Schedule, config.WarmupSteps) = (clip, "constant", 0); // a first step at the full rate
            using var trainer = new DynamicsTrainer(CpuDevice.Instance, config.Validate(), Split(), 1, outDir: "");
            var before = trainer.Model.Parameters.ToArray();
            trainer.TrainOneStep();
            return trainer.Model.Parameters.ToArray().Zip(before, (a, b) => Math.Abs(a - b)).ToArray();
        }
        double Total(float[] change) => change.Sum(v => (double)v);
        var (free, loose, tight) = (FirstStepChange(0), FirstStepChange(1e6), FirstStepChange(1e-10));
        TestContext.Out.WriteLine($"Σ|Δθ| of the first step: unclipped {Total(free):e3}, clip 1e6 {Total(loose):e3}, clip 1e-10 {Total(tight):e3}");
        Assert.That(loose, Is.EqualTo(free), "a clip above the norm changes nothing");
        Assert.That(Total(tight) * 20, Is.LessThan(Total(free)));
        var e = Assert.Throws<WeJepa.Core.Errors.UserError>(() => new DynamicsConfig { ClipGrad = -1 }.Validate("c.yaml"));
        Assert.That(e!.Message, Is.EqualTo("c.yaml: clip_grad = -1: must be >= 0 (0 = no clipping)"));
    }

    [TestCase("hnn")]
    [TestCase("lnn")]
    [TestCase("mlp")]
    public void ResumingAtStepKGivesTheUninterruptedLossesBitForBit(string model)
    {
        var straight = Train("straight", model, 8, resume: false);
        Train("split", model, 3, resume: false);
        var resumed = Train("split", model, 8, resume: true);
        // the resumed trainer's curve is the whole run's: steps 1..3 read back from its log, 4..8 trained
        Assert.That(resumed.Metrics.Select(m => m.Step), Is.EqualTo(Enumerable.Range(1, 8).Select(i => (long)i)));
        Assert.That(resumed.Metrics, Is.EqualTo(straight.Metrics), "step, losses and rate of every logged step");
        Assert.That(resumed.Weights, Is.EqualTo(straight.Weights));
        var lines = File.ReadAllLines(Path.Combine(dir, "split", DynamicsTrainer.MetricsFile));
        Assert.That(lines, Is.EqualTo(File.ReadAllLines(Path.Combine(dir, "straight", DynamicsTrainer.MetricsFile))));
    }

    [Test]
    public void ModelFileHasThePyTorchNamesAndTheCheckpointTheOptimizerState()
    {
        Train("run", "hnn", 2, resume: false);
        var model = Safetensors.Read(Path.Combine(dir, "run", DynamicsTrainer.ModelFile));
        Assert.That(model.Tensors.Keys, Is.EquivalentTo(new[] { "net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias", "net.4.weight", "net.4.bias", "J" }));
        var checkpoint = Safetensors.Read(Path.Combine(dir, "run", DynamicsTrainer.CheckpointFile));
        Assert.That(checkpoint.Tensors.Keys, Does.Contain("optimizer.exp_avg").And.Contain("optimizer.exp_avg_sq"));
        Assert.That(checkpoint.Metadata["step"], Is.EqualTo("2"));
    }

    [Test]
    public void ANewRunRefusesAFolderHoldingOne()
    {
        Train("run", "mlp", 1, resume: false);
        var e = Assert.Throws<WeJepa.Core.Errors.UserError>(() => Train("run", "mlp", 1, resume: false));
        Assert.That(e!.Message, Does.Contain("--resume"));
    }
}
