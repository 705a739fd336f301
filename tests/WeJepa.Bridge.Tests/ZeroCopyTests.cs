using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Bridge.Tests;

/// <summary>
/// The CPU path of <see cref="SharedBuffer"/> (lavapipe + ILGPU's CPU accelerator): the tensor's memory is the
/// Vulkan mapping, and the steady-state loop simulate → render → tensor → op moves no byte between host and device.
/// </summary>
public class ZeroCopyTests : BridgeFixture
{
    [Test]
    public unsafe void TheTensorsMemoryIsTheVulkanMemory()
    {
        using var shared = SharedBuffer.Create(Device, Engine, 4 * 64);
        using var tensor = shared.Float32(16, 4, 12);   // floats 4 .. 51
        Assert.That(shared.EnginePointer, Is.EqualTo(shared.Vulkan.MappedPointer), "the engine's buffer starts at the mapping");
        Assert.That((nint)Engine.HostPointer(tensor.View), Is.EqualTo(shared.Vulkan.MappedPointer + 16), "the tensor's first float is the mapping's byte 16");

        shared.Vulkan.Fill(2.5f);   // a Vulkan command writes, the tensor sees it
        Assert.That(tensor.ToArray(), Is.All.EqualTo(2.5f));
        tensor.Fill(-1f);           // an engine write, Vulkan reads it back
        var back = shared.Vulkan.ReadToHost<float>(64);
        Assert.That(back.Skip(4).Take(48), Is.All.EqualTo(-1f));
        Assert.That(back.Take(4).Concat(back.Skip(52)), Is.All.EqualTo(2.5f), "bytes outside the tensor untouched");

        using var bytes = shared.UInt8(8, 2, 4);   // uint8 frames: the same memory, byte-addressed
        shared.Vulkan.FillBits(0x04030201);
        Assert.That(bytes.ToUInt8Array(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 1, 2, 3, 4 }));
    }

    [Test]
    public void TheSteadyStateLoopMovesNoBytes()
    {
        var scene = SceneLoader.Load(Path.Combine(AppContext.BaseDirectory, "scenes", "pendulum.yaml"));
        const int envs = 6;
        var spec = RenderSpec.FromScene(scene) with { Width = 32, Height = 32 };
        using var physics = new GpuPhysics(Device, scene, envs);
        using var renderer = new GpuRenderer(Device, spec);
        var looks = EnvLooks.Draw(spec, 0, Enumerable.Range(0, envs).Select(e => (float)Environments.LengthScale(scene, e)).ToArray());
        using var lookBuffer = Device.CreateBuffer(4L * looks.Length);
        lookBuffer.Upload<float>(looks);   // setup: the one upload
        using var frames = SharedBuffer.Create(Device, Engine, envs * renderer.FrameBytes(FrameFormat.Float32));
        using var batch = frames.Float32(0, envs, 3, spec.Height, spec.Width);

        Tensor? mean = null;
        void Step()
        {
            frames.ReleaseToSimulator();
            physics.Step(1);
            renderer.Render(physics.State, lookBuffer, new FrameIndexing(1), 0, envs, frames.Vulkan, 0, FrameFormat.Float32);
            mean?.Dispose();
            mean = Ops.Mean(batch, [1, 2, 3]);   // per-frame mean brightness: an engine op on the simulator's memory
        }
        Step();   // warm-up: pipelines, kernels
        var before = (Vulkan: Device.Transfers.Snapshot(), Engine: Engine.Transfers.Snapshot());
        for (int i = 0; i < 5; i++) Step();
        var moved = (Vulkan: Device.Transfers.Snapshot() - before.Vulkan, Engine: Engine.Transfers.Snapshot() - before.Engine);
        Assert.That(moved.Vulkan.Total, Is.Zero, $"Vulkan: {moved.Vulkan}");
        Assert.That(moved.Engine.Total, Is.Zero, $"engine: {moved.Engine}");

        // The op saw this step's frames: they are the reference renderer's frames of the physics' state.
        var states = physics.ReadState();
        var expected = new float[envs * spec.FrameFloats];
        ReferenceRenderer.Render(spec, states, looks, new FrameIndexing(1), 0, expected);
        var actual = batch.ToArray();
        Assert.That(actual.Zip(expected, (a, b) => Math.Abs(a - b)).Max(), Is.LessThanOrEqualTo(2f / 255f));
        var means = mean!.ToArray();
        for (int e = 0; e < envs; e++)
            Assert.That(means[e], Is.EqualTo(expected.Skip(e * spec.FrameFloats).Take(spec.FrameFloats).Average()).Within(1e-3), $"mean of frame {e}");
        mean.Dispose();
    }

    [Test]
    public void TheCountersSeeHostTransfers()
    {
        var before = (Vulkan: Device.Transfers.Snapshot(), Engine: Engine.Transfers.Snapshot());
        using var buffer = Device.CreateBuffer(400);
        buffer.Upload<float>(new float[100]);
        buffer.ReadToHost<float>(25);
        using var t = Tensor.FromArray(Engine, new float[10], 10);
        t.ToArray();
        Assert.That(Device.Transfers.Snapshot() - before.Vulkan, Is.EqualTo(new Core.Diagnostics.TransferSnapshot(400, 100)));
        Assert.That(Engine.Transfers.Snapshot() - before.Engine, Is.EqualTo(new Core.Diagnostics.TransferSnapshot(40, 40)));
    }

    [Test]
    public void ARangeOutsideTheBufferIsRefused()
    {
        using var shared = SharedBuffer.Create(Device, Engine, 64);
        Assert.Throws<ArgumentOutOfRangeException>(() => shared.Float32(0, 17));
        Assert.Throws<ArgumentException>(() => shared.Float32(2, 1));
        shared.Dispose();
        Assert.Throws<ObjectDisposedException>(() => shared.EngineBytes(0, 4));
    }
}
