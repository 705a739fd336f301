using WeJepa.Core.Scenes;
using WeJepa.Learning.Devices;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;

namespace WeJepa.Viewer.Tests;

/// <summary>
/// Run folders of tiny trained models (hidden 16, 40 full-batch steps on 4 reference trajectories of the default
/// pendulum), made once per test run by <see cref="DynamicsTrainer"/> as <c>wejepa train dynamics</c> makes them:
/// a second or two. Their folders are deleted when the test process ends.
/// </summary>
public static class TinyCheckpoints
{
    private static readonly Lazy<string> root = new(Train);

    /// <summary>The run folder of the tiny <paramref name="model"/> (hnn or mlp).</summary>
    public static string Folder(string model) => Path.Combine(root.Value, model);

    /// <summary>A fresh engine device (the viewer's twins own theirs and dispose it).</summary>
    public static Device OpenEngine() => Device.Create(DeviceKind.Cpu);

    private static string Train()
    {
        var dir = Directory.CreateTempSubdirectory("wejepa-view-checkpoints-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(dir, recursive: true);
        var scene = SceneLoader.Load(TestSupport.Repository.File("scenes", "pendulum.yaml")).With(envs: 4, steps: 60);
        var set = TrajectorySet.FromTrajectory(scene, ReferenceSimulator.Run(scene));
        using var device = OpenEngine();
        foreach (var model in new[] { "hnn", "mlp" })
        {
            var config = new DynamicsConfig { Model = model, Hidden = 16, Steps = 40, TestFraction = 0, LogEvery = 40, Lr = 3e-3 }.Validate();
            using var trainer = new DynamicsTrainer(device, config, TrainingSplit.Of(set, 0, 0, config.Seed), set.Degrees, Path.Combine(dir, model));
            trainer.Run(resume: false);
        }
        return dir;
    }
}
