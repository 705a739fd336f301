using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.TestSupport;
using WeJepa.Training.Jepa;
using WeJepa.Training.Loop;

namespace WeJepa.Training.Tests.Loop;

public class CameraRecorderTests : VulkanDeviceFixture
{
    static Scene Scene() => SceneLoader.Load(Repository.File("scenes", "pendulum.yaml"));

    [Test]
    public void FramesNeverCrossToTheHostOnlyStatesAndFeaturesDo()
    {
        var engine = CpuDevice.Instance;
        var scene = Scene();
        using var encoder = new PooledPixelEncoder(64, 64, 8);
        const int episodes = 3, frames = 12;
        var r = CameraRecorder.Record(Device, engine, scene, encoder, episodes, frames, firstEpisode: 5);
        var t = r.Traffic;
        Assert.That(t.Steps, Is.EqualTo(frames - 1));
        Assert.That(t.FrameBytes, Is.Zero, $"simulator {t.Simulator}, engine {t.Engine}");
        // exactly: the simulator's states read back (E·S floats per step), the engine's features read back (E·F floats per step), nothing uploaded
        Assert.That(t.Simulator, Is.EqualTo(new Core.Diagnostics.TransferSnapshot(0, (frames - 1) * 4L * episodes * 2)));
        Assert.That(t.Engine, Is.EqualTo(new Core.Diagnostics.TransferSnapshot(0, (frames - 1) * 4L * episodes * encoder.FeatureSize)));
        Assert.That(t.FrameBatchBytes, Is.EqualTo(episodes * 3L * 64 * 64 * 4));

        // the states are the scene's episodes 5..7, as the reference physics runs them
        var initial = GpuPhysics.InitialStates(scene, episodes, 5);
        for (int e = 0; e < episodes; e++)
        {
            Assert.That(r.StateOf(e, 0).ToArray(), Is.EqualTo(initial.AsSpan(2 * e, 2).ToArray()));
            var state = Array.ConvertAll(initial[(2 * e)..(2 * e + 2)], v => (double)v);
            var system = Environments.Dynamics(scene, 5 + e);
            for (int k = 0; k < frames - 1; k++) Integrators.Rk4(system, state, k * scene.Settings.Dt, scene.Settings.Dt);
            Assert.That(r.StateOf(e, frames - 1)[0], Is.EqualTo(state[0]).Within(1e-4));
        }
        // the features are the pooled frames: a bright bob moves, so frames differ, and the pixel mean stays put
        Assert.That(r.FeaturesOf(0, 0).ToArray(), Is.Not.EqualTo(r.FeaturesOf(0, frames - 1).ToArray()));
    }

    [Test]
    public void AJepaEncoderReadsTheSharedFramesWithOnlyItsPositionTableUploaded()
    {
        var engine = CpuDevice.Instance;
        var config = LoopConfig.Resolve("quick", []).Jepa(Repository.File("scenes", "pendulum.yaml"), 64, "unused");
        using var encoder = new JepaFrameEncoder(new JepaModel(engine, config), "random-init", ownsModel: true);
        var r = CameraRecorder.Record(Device, engine, Scene(), encoder, 2, 4);
        Assert.That(r.Traffic.FrameBytes, Is.Zero, $"simulator {r.Traffic.Simulator}, engine {r.Traffic.Engine}");
        Assert.That(r.Traffic.Engine.HostToDevice, Is.EqualTo(3 * encoder.HostBytesPerEncode), "the sin-cos table, once per step");
        Assert.That(r.FeatureSize, Is.EqualTo(16 * 32));
        Assert.That(Array.TrueForAll(r.Features, float.IsFinite));
    }
}
