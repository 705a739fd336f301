using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Tests.Learning;

/// <summary>Small end-to-end runs: simulate a scene, train a model on it, roll it out, measure the true energy.</summary>
public static class LearnedDynamics
{
    /// <summary>A one-object scene: <paramref name="system"/> is the Pendulum or DoublePendulum component block, <paramref name="initial"/> its InitialState block.</summary>
    public static Scene Scene(string system, string initial, double dt, int envs, int steps, ulong seed = 7) => SceneLoader.Parse($"""
        scene: {"{"} name: test, seed: {seed}, dt: {dt}, steps: {steps}, envs: {envs}, integrator: rk4 {"}"}
        objects:
          - name: body
            components:
        {system}
        {initial}
        """, "test scene");

    /// <summary>Trains <paramref name="config"/> on the scene's reference trajectories (all of them: no test split) in a temporary folder.</summary>
    public static DynamicsTrainer Train(Scene scene, DynamicsConfig config)
    {
        var set = TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene));
        var split = TrainingSplit.Of(set, testFraction: 0, config.Noise, config.Seed);
        var dir = Path.Combine(Path.GetTempPath(), "wejepa-learning-" + Guid.NewGuid().ToString("N"));
        var trainer = new DynamicsTrainer(CpuDevice.Instance, config.Validate(), split, set.Degrees, dir);
        try { trainer.Run(resume: false); }
        finally { Directory.Delete(dir, recursive: true); }
        return trainer;
    }

    /// <summary>(learned, true) energies (B, T+1) of rollouts from <paramref name="initial"/> (B, S) over <paramref name="steps"/> RK4 steps.</summary>
    public static (double[] Learned, double[] True) Energies(DynamicsModel model, IDynamics system, float[] initial, double dt, int steps)
    {
        int s = system.StateSize, b = initial.Length / s;
        var learned = BatchRollout.Run(model, initial, dt, steps);
        var truth = EnergyMetrics.TrueRollout(_ => system, initial, s, dt, steps, substeps: 4);
        return (EnergyMetrics.TrueEnergy(system, learned, b, steps + 1), EnergyMetrics.TrueEnergy(system, truth, b, steps + 1));
    }
}
