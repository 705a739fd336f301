using System.Globalization;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
using WeJepa.Training.Rollouts;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Dynamics;

/// <summary>The sizes of <see cref="DoublePendulumProtocol"/>.</summary>
public sealed record DoublePendulumOptions(int Seeds = 3, int Steps = 600, int Hidden = 64, int Trajectories = 32, int Samples = 100,
    double SampleDt = 0.05, int TestStates = 16, int RolloutSteps = 1000, double RolloutDt = 0.01, double Lr = 3e-3,
    double ClipGrad = 1.0);

/// <summary>
/// One model's numbers for one seed: its own losses (the LNN's on accelerations, the others' on the whole field), and over
/// long RK4 rollouts from unseen initial states the true energy's error, mean over trajectories and time of |E(t) − E₀| / E₀,
/// its relative drift at the end, and the state MSE against the reference physics after 1 s.
/// </summary>
public sealed record DoublePendulumResult(string Model, ulong Seed, double TrainLoss, double TestLoss, double EnergyError, double FinalDrift, double MseAtOneSecond);

/// <summary>
/// Cranmer et al.'s double pendulum (Lagrangian Neural Networks, 2020) as a protocol of ours: a unit double pendulum
/// (l₁ = l₂ = m₁ = m₂ = 1, g = 9.81, no damping); trajectories from θ₁, θ₂ ∈ U[−1, 1], ω₁, ω₂ ∈ U[−1, 1] sampled every
/// <c>SampleDt</c> with exact derivatives from the reference equations; the first half train, the rest test. Three models
/// of the same width, trained full batch with Adam on a cosine schedule and global-norm clipping at <c>ClipGrad</c> (without
/// it one LNN seed in three diverged: its loss jumped from 70 to 1.5e4 by step 50 and stuck at 56; clipped at 1 it fell to
/// 0.12): the baseline MLP (regresses (v̇, a)), the LNN
/// (L = ½|v|² + net(q, v), the batched 2×2 Hessian solve, Cranmer's loss on the accelerations) and the HNN with d = 2 in
/// canonical momenta p = M(q)·v (<see cref="CanonicalMomenta"/>). Each is rolled out with RK4 for <c>RolloutSteps</c>
/// steps of <c>RolloutDt</c> from <c>TestStates</c> unseen initial states; the true energy of the learned states decides.
/// The paper shows the energy error as curves, not a table, so there are no paper numbers to print beside ours.
/// </summary>
public static class DoublePendulumProtocol
{
    public static readonly string[] Models = ["mlp", "lnn", "hnn"];

    const string System = "DoublePendulum: { l1: 1.0, l2: 1.0, m1: 1.0, m2: 1.0, gravity: 9.81, damping: 0.0 }";
    const string Start = "InitialState: { theta1: { uniform: [-1.0, 1.0] }, theta2: { uniform: [-1.0, 1.0] }, omega1: { uniform: [-1.0, 1.0] }, omega2: { uniform: [-1.0, 1.0] } }";

    /// <summary>The protocol's double pendulum scene: <paramref name="envs"/> environments of <paramref name="steps"/> steps of <paramref name="dt"/>.</summary>
    public static Scene Scene(ulong seed, int envs, int steps, double dt) => SceneLoader.Parse(string.Create(CultureInfo.InvariantCulture, $$"""
        scene: { name: double-protocol, seed: {{seed}}, dt: {{dt}}, steps: {{steps}}, envs: {{envs}}, integrator: rk4 }
        objects:
          - name: double_pendulum
            components:
              {{System}}
              {{Start}}
        """), "double pendulum protocol");

    public static IReadOnlyList<DoublePendulumResult> Run(Device device, DoublePendulumOptions o, Action<string>? log = null)
    {
        var results = new List<DoublePendulumResult>();
        for (ulong seed = 0; seed < (ulong)o.Seeds; seed++)
        {
            var scene = Scene(1000 + seed, o.Trajectories, o.Samples - 1, o.SampleDt);
            var set = TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene));
            var test = Scene(2000 + seed, o.TestStates, o.RolloutSteps, o.RolloutDt);
            var starts = Enumerable.Range(0, o.TestStates).SelectMany(e => Environments.InitialState(test, e)).Select(v => (float)v).ToArray();
            foreach (var model in Models)
            {
                var config = new DynamicsConfig
                {
                    Model = model, Hidden = o.Hidden, Steps = o.Steps, Lr = o.Lr, Schedule = "cosine", FinalLr = o.Lr / 100, WeightDecay = 0,
                    Optimizer = "adam", Seed = seed, TestFraction = 0.5, ClipGrad = o.ClipGrad,
                }.Validate();
                using var trainer = new DynamicsTrainer(device, config, DynamicsTrainer.SplitFor(set, config), 2, outDir: "");
                double train = 0;
                for (int k = 0; k < o.Steps; k++) train = trainer.TrainOneStep();
                var run = RolloutRun.Of(trainer.Model, test, starts, o.RolloutDt, o.RolloutSteps, RolloutIntegrator.Rk4);
                var mse = EnergyMetrics.MsePerFrame(run.Learned, run.Truth, run.Batch, run.Frames, run.StateSize);
                var r = new DoublePendulumResult(model, seed, train, trainer.TestLoss() ?? double.NaN, MeanEnergyError(run.LearnedEnergy, run.Batch, run.Frames),
                    EnergyMetrics.MeanRelativeDrift(run.LearnedEnergy, run.Batch, run.Frames), mse[Math.Min(run.Steps, (int)Math.Round(1 / o.RolloutDt))]);
                log?.Invoke($"seed {seed} {model}: train {r.TrainLoss:e3}, test {r.TestLoss:e3}, energy error {r.EnergyError:e3}, final drift {r.FinalDrift:e3}, MSE at 1 s {r.MseAtOneSecond:e3}");
                results.Add(r);
            }
        }
        return results;
    }

    /// <summary>Mean over trajectories and frames of |E(t) − E₀| / |E₀|; energy (B, frames).</summary>
    public static double MeanEnergyError(double[] energy, int b, int frames)
    {
        double sum = 0;
        for (int i = 0; i < b; i++)
        {
            double e0 = energy[(long)i * frames], scale = Math.Abs(e0) > 1e-12 ? Math.Abs(e0) : 1.0;
            for (int k = 0; k < frames; k++) sum += Math.Abs(energy[(long)i * frames + k] - e0) / scale;
        }
        return sum / ((double)b * frames);
    }
}
