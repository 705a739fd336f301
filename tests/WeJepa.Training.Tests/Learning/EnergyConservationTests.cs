using System.Diagnostics;
using WeJepa.Learning;
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

    static DynamicsConfig Config(string model, int steps, int hidden = 64, double lr = 3e-3, string schedule = "constant") =>
        new() { Model = model, Hidden = hidden, Steps = steps, Lr = lr, Schedule = schedule, FinalLr = lr / 100, WeightDecay = 0, TestFraction = 0,
                LogEvery = steps, CheckpointEvery = steps, Seed = 3 };

    static readonly float[] Starts = [1.0f, 0f, -0.5f, 1.5f, 0.3f, -2.0f, -1.5f, 0.5f, 2.0f, 0.2f, -0.8f, -1.0f];

    [Test]
    public void HnnDriftsTenTimesLessThanTheMlpOverAThousandRk4Steps()
    {
        var watch = Stopwatch.StartNew();
        var scene = LearnedDynamics.Scene(Pendulum.Replace("DAMPING", "0.0"), PendulumStart, dt: 0.05, envs: 8, steps: 40);
        var system = Environments.Dynamics(scene, 0);
        double Drift(string model)
        {
            using var trainer = LearnedDynamics.Train(scene, Config(model, steps: 200, lr: 1e-2, schedule: "cosine"));
            var (learned, _) = LearnedDynamics.Energies(trainer.Model, system, Starts, 0.05, 1000);
            return EnergyMetrics.MeanRelativeDrift(learned, Starts.Length / 2, 1001);
        }
        double hnn = Drift("hnn"), mlp = Drift("mlp");
        TestContext.Out.WriteLine($"relative energy drift over 1000 RK4 steps: HNN {hnn:e2}, MLP {mlp:e2} (ratio {mlp / hnn:f1}); {watch.Elapsed.TotalSeconds:f1} s");
        Assert.That(hnn * 10, Is.LessThan(mlp));
    }

    [Test]
    public void DissipativeHnnTracksADampedPendulumsEnergyDecayAndBeatsThePlainHnn()
    {
        var watch = Stopwatch.StartNew();
        var scene = LearnedDynamics.Scene(Pendulum.Replace("DAMPING", "0.3"), PendulumStart, dt: 0.05, envs: 8, steps: 40);
        var system = Environments.Dynamics(scene, 0);
        const int steps = 100; // 5 s: the true energy falls to ~25 % of its start
        (double Error, double FinalRatio, double TrueRatio) Track(string model)
        {
            using var trainer = LearnedDynamics.Train(scene, Config(model, steps: 250, lr: 1e-2, schedule: "cosine"));
            var (learned, truth) = LearnedDynamics.Energies(trainer.Model, system, Starts, 0.05, steps);
            int b = Starts.Length / 2;
            double error = 0;
            for (int i = 0; i < b; i++)
                for (int k = 0; k <= steps; k++)
                    error += Math.Abs(learned[i * (steps + 1) + k] - truth[i * (steps + 1) + k]) / truth[i * (steps + 1)];
            return (error / (b * (steps + 1)), EnergyMetrics.MeanFinalEnergyRatio(learned, b, steps + 1), EnergyMetrics.MeanFinalEnergyRatio(truth, b, steps + 1));
        }
        var dhnn = Track("dhnn");
        var hnn = Track("hnn");
        TestContext.Out.WriteLine($"mean |E_learned − E_true| / E0 over 5 s: dissipative HNN {dhnn.Error:e2}, HNN {hnn.Error:e2}; " +
                                  $"E_T/E_0: true {dhnn.TrueRatio:f3}, dissipative HNN {dhnn.FinalRatio:f3}, HNN {hnn.FinalRatio:f3}; {watch.Elapsed.TotalSeconds:f1} s");
        Assert.That(dhnn.FinalRatio, Is.EqualTo(dhnn.TrueRatio).Within(0.1), "the dissipative HNN loses the energy the pendulum loses");
        Assert.That(dhnn.Error * 3, Is.LessThan(hnn.Error));
    }

    /// <summary>
    /// Symplectic for any H, separable or not: over a long rollout at a coarse step (dt 0.1, ω·dt ≈ 0.3: RK4 loses a little
    /// energy every step), the implicit midpoint rule keeps the trained HNN's own learned H within a bounded error while
    /// RK4's drifts away. (H's additive constant is arbitrary: the error is absolute.)
    /// </summary>
    [Test]
    public void TheMidpointRuleKeepsTheLearnedHamiltonianWhereRk4Drifts()
    {
        var scene = LearnedDynamics.Scene(Pendulum.Replace("DAMPING", "0.0"), PendulumStart, dt: 0.05, envs: 8, steps: 40);
        using var trainer = LearnedDynamics.Train(scene, Config("hnn", steps: 200, lr: 1e-2, schedule: "cosine"));
        var model = trainer.Model;
        int b = Starts.Length / 2;
        const int steps = 5000;
        double Drift(RolloutIntegrator integrator)
        {
            var states = BatchRollout.Run(model, Starts, 0.1, steps, integrator);
            var device = model.Parameters.Device;
            var h = new Tape(device).Step(() => model.LearnedEnergy(Tensor.FromArray(device, states, b * (steps + 1), 2))!.ToArray());
            double worst = 0;
            for (int i = 0; i < b; i++)
                for (int k = 0; k <= steps; k++)
                    worst = Math.Max(worst, Math.Abs(h[i * (steps + 1) + k] - h[i * (steps + 1)]));
            return worst;
        }
        double midpoint = Drift(RolloutIntegrator.Midpoint), rk4 = Drift(RolloutIntegrator.Rk4);
        TestContext.Out.WriteLine($"max |H(t) − H(0)| of the learned H over {steps} steps of 0.1: midpoint {midpoint:e2}, RK4 {rk4:e2}");
        Assert.That(midpoint * 5, Is.LessThan(rk4)); // measured: 6.0e-2 vs 4.9e-1
    }

    [Test]
    public void LnnConservesTheDoublePendulumsEnergyBetterThanTheMlp()
    {
        var watch = Stopwatch.StartNew();
        var scene = LearnedDynamics.Scene("      DoublePendulum: { l1: 1.0, l2: 1.0, m1: 1.0, m2: 1.0, gravity: 9.81, damping: 0.0 }",
            "      InitialState: { theta1: { uniform: [-0.8, 0.8] }, theta2: { uniform: [-0.8, 0.8] }, omega1: { uniform: [-0.5, 0.5] }, omega2: { uniform: [-0.5, 0.5] } }",
            dt: 0.05, envs: 8, steps: 30);
        var system = Environments.Dynamics(scene, 0);
        float[] starts = [0.5f, -0.3f, 0f, 0f, -0.4f, 0.6f, 0.2f, -0.2f, 0.7f, 0.1f, -0.3f, 0.3f, -0.6f, -0.5f, 0.1f, 0.4f];
        const int steps = 200;
        double Drift(string model)
        {
            using var trainer = LearnedDynamics.Train(scene, Config(model, steps: 200, hidden: 32, lr: 3e-3));
            var (learned, _) = LearnedDynamics.Energies(trainer.Model, system, starts, 0.05, steps);
            return EnergyMetrics.MeanRelativeDrift(learned, starts.Length / 4, steps + 1);
        }
        double lnn = Drift("lnn"), mlp = Drift("mlp");
        TestContext.Out.WriteLine($"double pendulum, relative energy drift over {steps} RK4 steps: LNN {lnn:e2}, MLP {mlp:e2}; {watch.Elapsed.TotalSeconds:f1} s");
        Assert.That(double.IsFinite(lnn) && double.IsFinite(mlp), "both rollouts stay finite");
        Assert.That(lnn, Is.LessThan(mlp));
    }
}
