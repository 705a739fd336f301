using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Datasets;

/// <summary>
/// Episodes from the Vulkan simulator: <see cref="GpuPhysics"/> records the trajectories (K, T, S) in
/// device memory, <see cref="GpuRenderer"/> renders them from there into a reusable uint8 frame
/// buffer, and only the finished chunk of frames (plus states and energy) is read to the host.
/// </summary>
public sealed class GpuEpisodeSource : IEpisodeSource
{
    /// <summary>Bytes of the reusable uint8 frame buffer one render call fills.</summary>
    private const long ChunkBytes = 32L << 20;

    private readonly VulkanDevice _device;
    private readonly bool _ownsDevice;
    private readonly Scene _scene;
    private readonly GpuRenderer _renderer;
    private readonly DeviceBuffer _frames;

    public int MaxFramesPerRender { get; }

    public GpuEpisodeSource(VulkanDevice device, Scene scene, bool ownsDevice = false)
    {
        (_device, _scene, _ownsDevice) = (device, scene, ownsDevice);
        _renderer = new GpuRenderer(device, RenderSpec.FromScene(scene));
        try
        {
            long frameBytes = _renderer.FrameBytes(FrameFormat.UInt8);
            MaxFramesPerRender = (int)Math.Max(1, Math.Min(ChunkBytes / frameBytes, _renderer.FramesPerDispatch(FrameFormat.UInt8)));
            _frames = device.CreateBuffer(MaxFramesPerRender * frameBytes);
        }
        catch
        {
            _renderer.Dispose();
            throw;
        }
    }

    /// <summary>Opens the Vulkan device (UserError, exit code 3, when there is no driver) and the source on it.</summary>
    public static GpuEpisodeSource Open(Scene scene, VulkanOptions? options = null)
    {
        var device = VulkanDevice.Create(options);
        try { return new GpuEpisodeSource(device, scene, ownsDevice: true); }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One shard's trajectories (K, T, S) and energies (K, T) live in device memory while its frames are
    /// rendered: refuse a shard that would take more than half of the device's memory.
    /// </summary>
    public void CheckFits(int episodes, int steps)
    {
        long need = 4L * episodes * steps * (_scene.StateSize + 1), budget = _device.Info.DeviceLocalBytes / 2;
        if (need > budget)
            throw new UserError($"one shard of {episodes} episodes × {steps} frames needs {need / 1048576.0:N0} MiB of device memory for its " +
                                $"trajectories, more than half of {_device.Info.Name}'s {_device.Info.DeviceLocalBytes / 1048576.0:N0} MiB; " +
                                "lower --shard-episodes or --steps");
    }

    public IEpisodeBatch Simulate(int firstEpisode, int count, int steps)
    {
        var physics = new GpuPhysics(_device, _scene, count, firstEpisode);
        TrajectoryBuffers? trajectories = null;
        DeviceBuffer? looks = null;
        try
        {
            trajectories = new TrajectoryBuffers(_device, count, steps, _scene.StateSize);
            physics.Step(steps - 1, trajectories);
            var lengthScales = Enumerable.Range(firstEpisode, count).Select(env => (float)Environments.LengthScale(_scene, env)).ToArray();
            var lookValues = EnvLooks.Draw(_renderer.Spec, firstEpisode, lengthScales);
            looks = _device.CreateBuffer(4L * lookValues.Length);
            looks.Upload<float>(lookValues);
            return new Batch(this, physics, trajectories, looks, new FrameIndexing(steps, (uint)firstEpisode),
                trajectories.ReadStates(), trajectories.ReadEnergy());
        }
        catch
        {
            looks?.Dispose();
            trajectories?.Dispose();
            physics.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _frames.Dispose();
        _renderer.Dispose();
        if (_ownsDevice) _device.Dispose();
    }

    private sealed class Batch(GpuEpisodeSource source, GpuPhysics physics, TrajectoryBuffers trajectories, DeviceBuffer looks,
        FrameIndexing indexing, float[] states, float[] energy) : IEpisodeBatch
    {
        public float[] States => states;
        public float[] Energy => energy;

        public void RenderFrames(int start, Span<byte> frames)
        {
            int n = frames.Length / source._renderer.Spec.FrameFloats;
            source._renderer.Render(trajectories.States, looks, indexing, start, n, source._frames, 0, FrameFormat.UInt8);
            source._frames.ReadToHost(frames);
        }

        public void Dispose()
        {
            looks.Dispose();
            trajectories.Dispose();
            physics.Dispose();
        }
    }
}
