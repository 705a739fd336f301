using System.Diagnostics;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Tests.Learning;

/// <summary>
/// The physics priors at work, measured so that the test can fail: each model is trained briefly on reference
/// trajectories and rolled out far beyond them; the true energy of the learned trajectories decides.
/// </summary>
public class EnergyConservationTests
{
    const string Pendulum = "      Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81, damping: DAMPING }";
    const string PendulumStart = "      InitialState: { theta: { uniform: [-2.0, 2.0] }, omega: { uniform: [-1.0, 1.0] } }";

    static DynamicsConfig Config(string model, int steps, int hidden = 64, double lr = 3e-3) =>
        new() { Model = model, Hidden = hidden, Steps = steps, Lr = lr, WeightDecay = 0, TestFraction = 0, LogEvery = steps, CheckpointEvery = steps, Seed = 3 };

    static readonly float[] Starts = [1.0f, 0f, -0.5f, 1.5f, 0.3f, -2.0f, -1.5f, 0.5f, 2.0f, 0.2f, -0.8f, -1.0f];

    [Test]
    public void HnnDriftsTenTimesLessThanTheMlpOverAThousandRk4Steps()
    {
        var watch = Stopwatch.StartNew();
        var scene = LearnedDynamics.Scene(Pendulum.Replace("DAMPING", "0.0"), PendulumStart, dt: 0.05, envs: 12, steps: 60);
        var system = Environments.Dynamics(scene, 0);
        double Drift(string model)
        {
            using var trainer = LearnedDynamics.Train(scene, Config(model, steps: 400));
            var (learned, _) = LearnedDynamics.Energies(trainer.Model, system, Starts, 0.05, 1000);
            return EnergyMetrics.MeanRelativeDrift(learned, Starts.Length / 2, 1001);
        }
        double hnn = Drift("hnn"), mlp = Drift("mlp");
        TestContext.Out.WriteLine($"relative energy drift over 1000 RK4 steps: HNN {hnn:e2}, MLP {mlp:e2} (ratio {mlp / hnn:f1}); {watch.Elapsed.TotalSeconds:f1} s");
        Assert.That(hnn * 10, Is.LessThan(mlp));
    }
}
