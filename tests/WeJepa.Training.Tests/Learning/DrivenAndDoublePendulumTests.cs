using System.Diagnostics;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Tests.Learning;

/// <summary>
/// The two systems past the simple pendulum, measured so that the test can fail: a driven pendulum, whose field changes
/// with time (a model needs t as an input), and the double pendulum for the HNN with d = 2 (in canonical momenta).
/// </summary>
public class DrivenAndDoublePendulumTests
{
    [Test]
    public void TimeAsAnInputLearnsADrivenPendulumThatAStateOnlyModelCannot()
    {
        var watch = Stopwatch.StartNew();
        // undamped, driven at 0.4 Hz with 4 rad/s² over 4 s: the drive is ~1/3 of the acceleration
        const int envs = 10, steps = 80, test = 3;
        var scene = LearnedDynamics.Scene("      Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81, damping: 0.0, drive: { amplitude: 4.0, frequency: 0.4 } }",
            "      InitialState: { theta: { uniform: [-1.0, 1.0] }, omega: { uniform: [-1.0, 1.0] } }", dt: 0.05, envs: envs, steps: steps);
        var set = TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene));
        (double TestLoss, double RolloutMse, bool TimeInput) Fit(bool timeInput)
        {
            var config = new DynamicsConfig { Model = "mlp", Hidden = 64, Steps = 300, Lr = 1e-2, Schedule = "cosine", FinalLr = 1e-4, WeightDecay = 0,
                TestFraction = 0.3, Seed = 2, TimeInput = timeInput }.Validate();
            using var trainer = new DynamicsTrainer(CpuDevice.Instance, config, DynamicsTrainer.SplitFor(set, config), 1, outDir: "");
            for (int k = 0; k < config.Steps; k++) trainer.TrainOneStep();
            // the held-out trajectories from their starts over their 4 s
            var starts = Enumerable.Range(envs - test, test).SelectMany(e => Environments.InitialState(scene, e)).Select(v => (float)v).ToArray();
            var learned = BatchRollout.Run(trainer.Model, starts, 0.05, steps);
            var truth = set.States.AsSpan((envs - test) * (steps + 1) * 2, test * (steps + 1) * 2).ToArray();
            return (trainer.TestLoss()!.Value, EnergyMetrics.MsePerFrame(learned, truth, test, steps + 1, 2).Average(), trainer.Model.TimeInput);
        }
        var timed = Fit(timeInput: true);
        var untimed = Fit(timeInput: false);
        TestContext.Out.WriteLine($"driven pendulum, test loss / mean rollout MSE over 4 s: MLP(q, v, t) {timed.TestLoss:e2} / {timed.RolloutMse:e2}, " +
                                  $"MLP(q, v) {untimed.TestLoss:e2} / {untimed.RolloutMse:e2}; {watch.Elapsed.TotalSeconds:f1} s");
        Assert.That(timed.TimeInput && !untimed.TimeInput);
        // measured: ~2.1× on both (the few trajectories let a state hint at its time, so the state-only model is not hopeless)
        Assert.That(timed.TestLoss * 1.5, Is.LessThan(untimed.TestLoss), "the drive is a function of t: without it the field is not fitted");
        Assert.That(timed.RolloutMse * 1.5, Is.LessThan(untimed.RolloutMse));
    }

    [Test]
    public void TheMassMatrixOfTheDoublePendulumIsItsKineticEnergysHessian()
    {
        var system = new DoublePendulumDynamics(1.2, 0.7, 1.5, 0.8, 9.81);
        Span<double> m = stackalloc double[4];
        CanonicalMomenta.MassMatrix(system, [0.9, -0.4], m);
        double c = 0.8 * 1.2 * 0.7 * Math.Cos(0.9 + 0.4);
        Assert.That(m.ToArray(), Is.EqualTo(new[] { (1.5 + 0.8) * 1.44, c, c, 0.8 * 0.49 }).Within(1e-12));
    }

    [Test]
    public void CanonicalMomentaRoundTripAndTheirRatesMatchTheirDerivativeAlongTheMotion()
    {
        var scene = DoublePendulumProtocol.Scene(seed: 5, envs: 3, steps: 200, dt: 0.005);
        var set = TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene));
        var canonical = CanonicalMomenta.Of(set);
        IDynamics SystemOf(int env) => Environments.Dynamics(scene, env);
        var back = CanonicalMomenta.FromCanonical(SystemOf, canonical.States, set.Steps, 2);
        for (int i = 0; i < back.Length; i++) Assert.That(back[i], Is.EqualTo(set.States[i]).Within(1e-5 + 1e-5 * Math.Abs(set.States[i])));
        // ṗ against the central difference of p along each trajectory (O(dt²) ≈ 1e-4 here)
        double worst = 0;
        for (int env = 0; env < 3; env++)
            for (int k = 1; k < set.Steps - 1; k++)
                for (int j = 2; j < 4; j++)
                {
                    long at(int step) => ((long)env * set.Steps + step) * 4 + j;
                    double difference = (canonical.States[at(k + 1)] - canonical.States[at(k - 1)]) / (2 * set.Dt);
                    worst = Math.Max(worst, Math.Abs(difference - canonical.Derivatives[at(k)]) / (1 + Math.Abs(difference)));
                }
        Assert.That(worst, Is.LessThan(2e-3));
        Assert.That(canonical.Canonical && !set.Canonical);
    }

    [Test]
    public void AnHnnWithTwoDegreesOfFreedomKeepsTheDoublePendulumsEnergyBetterThanTheMlp()
    {
        var watch = Stopwatch.StartNew();
        var scene = DoublePendulumProtocol.Scene(seed: 8, envs: 10, steps: 40, dt: 0.05);
        var set = TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene));
        var test = DoublePendulumProtocol.Scene(seed: 9, envs: 6, steps: 400, dt: 0.02);
        var starts = Enumerable.Range(0, 6).SelectMany(e => Environments.InitialState(test, e)).Select(v => (float)v).ToArray();
        (double Drift, double LearnedHDrift, bool Canonical) Run(string model)
        {
            var config = new DynamicsConfig { Model = model, Hidden = 32, Steps = 200, Lr = 1e-2, Schedule = "cosine", FinalLr = 1e-4, WeightDecay = 0,
                TestFraction = 0, Seed = 4 }.Validate();
            using var trainer = new DynamicsTrainer(CpuDevice.Instance, config, DynamicsTrainer.SplitFor(set, config), 2, outDir: "");
            for (int k = 0; k < config.Steps; k++) trainer.TrainOneStep();
            var run = RolloutRun.Of(trainer.Model, test, starts, 0.02, 400, RolloutIntegrator.Rk4);
            var m = run.Metrics();
            return (DoublePendulumProtocol.MeanEnergyError(run.LearnedEnergy, run.Batch, run.Frames), m.GetValueOrDefault("relative_learned_h_drift", double.NaN), trainer.Model.Canonical);
        }
        var hnn = Run("hnn");
        var mlp = Run("mlp");
        TestContext.Out.WriteLine($"double pendulum, mean |E − E0|/E0 over 8 s: HNN d=2 {hnn.Drift:e2} (learned-H drift {hnn.LearnedHDrift:e2}), MLP {mlp.Drift:e2}; {watch.Elapsed.TotalSeconds:f1} s");
        Assert.That(hnn.Canonical && !mlp.Canonical, "the HNN learns in canonical momenta, the MLP in velocities");
        Assert.That(hnn.Drift, Is.LessThan(mlp.Drift));
        Assert.That(hnn.LearnedHDrift, Is.LessThan(1e-2), "RK4 keeps the learned H");
    }
}
