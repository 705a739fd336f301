using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Datasets;

/// <summary>
/// Episodes from the Vulkan simulator: <see cref="GpuPhysics"/> records the trajectories (K, T, S) in
/// device memory, <see cref="GpuRenderer"/> renders them from there into two reusable host-visible
/// uint8 frame slots, and callers read the finished frames straight from that mapped memory (states
/// and energy are read to the host once per batch). The physics of one batch is kept for the next
/// batch of the same shape (its pipelines compile once).
/// </summary>
public sealed class GpuEpisodeSource : IEpisodeSource
{
    /// <summary>Bytes of one frame slot (what one render call fills).</summary>
    private const long ChunkBytes = 32L << 20;

    private readonly VulkanDevice _device;
    private readonly bool _ownsDevice;
    private readonly Scene _scene;
    private readonly GpuRenderer _renderer;
    private readonly FrameSlot[] _slots = new FrameSlot[IEpisodeBatch.FrameSlots];
    private (GpuPhysics Physics, TrajectoryBuffers Trajectories)? _idle;   // a finished batch's, for reuse

    public int MaxFramesPerRender { get; }

    public GpuEpisodeSource(VulkanDevice device, Scene scene, bool ownsDevice = false)
    {
        (_device, _scene, _ownsDevice) = (device, scene, ownsDevice);
        _renderer = new GpuRenderer(device, RenderSpec.FromScene(scene));
        try
        {
            long frameBytes = _renderer.FrameBytes(FrameFormat.UInt8);
            MaxFramesPerRender = (int)Math.Max(1, Math.Min(ChunkBytes / frameBytes, _renderer.FramesPerDispatch(FrameFormat.UInt8)));
            for (int i = 0; i < _slots.Length; i++)
                _slots[i] = new FrameSlot(device.CreateBuffer(MaxFramesPerRender * frameBytes, MemoryPlacement.HostVisible));
        }
        catch
        {
            Dispose();
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
        GpuPhysics? physics = null;
        TrajectoryBuffers? trajectories = null;
        DeviceBuffer? looks = null;
        try
        {
            if (_idle is { } idle && idle.Physics.Envs == count && idle.Trajectories.Frames == steps)
            {
                (physics, trajectories) = idle;
                _idle = null;
                physics.Reset(firstEpisode);
            }
            else
            {
                physics = new GpuPhysics(_device, _scene, count, firstEpisode);
                trajectories = new TrajectoryBuffers(_device, count, steps, _scene.StateSize);
            }
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
            physics?.Dispose();
            throw;
        }
    }

    /// <summary>Keeps a finished batch's physics for the next batch of its shape (disposing the one kept before).</summary>
    private void Retire(GpuPhysics physics, TrajectoryBuffers trajectories)
    {
        if (_idle is { } old)
        {
            old.Trajectories.Dispose();
            old.Physics.Dispose();
        }
        _idle = (physics, trajectories);
    }

    public void Dispose()
    {
        if (_idle is { } idle)
        {
            idle.Trajectories.Dispose();
            idle.Physics.Dispose();
            _idle = null;
        }
        foreach (var slot in _slots) slot?.Dispose();
        _renderer.Dispose();
        if (_ownsDevice) _device.Dispose();
    }

    /// <summary>A host-visible frame buffer and the render in flight into it, if any.</summary>
    private sealed class FrameSlot(DeviceBuffer frames) : IDisposable
    {
        private CommandBuffer? _commands;
        private RenderJob? _job;
        private int _bytes;

        public void Begin(GpuRenderer renderer, DeviceBuffer states, DeviceBuffer looks, FrameIndexing indexing, int start, int count)
        {
            Finish();
            _commands = renderer.Device.CreateCommandBuffer();
            _commands.Begin();
            _job = renderer.Record(_commands, states, looks, indexing, start, count, frames, 0, FrameFormat.UInt8);
            _commands.End();
            _commands.Submit();
            _bytes = (int)(count * renderer.FrameBytes(FrameFormat.UInt8));
        }

        public unsafe ReadOnlySpan<byte> End()
        {
            Finish();
            return new ReadOnlySpan<byte>((void*)frames.MappedPointer, _bytes);
        }

        /// <summary>Waits for the render in flight (a no-op when none is).</summary>
        public void Finish()
        {
            if (_commands is null) return;
            try { _commands.Wait(); }
            finally
            {
                _job?.Dispose();
                _commands.Dispose();
                (_commands, _job) = (null, null);
            }
        }

        public void Dispose()
        {
            Finish();
            frames.Dispose();
        }
    }

    private sealed class Batch(GpuEpisodeSource source, GpuPhysics physics, TrajectoryBuffers trajectories, DeviceBuffer looks,
        FrameIndexing indexing, float[] states, float[] energy) : IEpisodeBatch
    {
        public float[] States => states;
        public float[] Energy => energy;

        public void BeginRender(int slot, int start, int count)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, source.MaxFramesPerRender);
            source._slots[slot].Begin(source._renderer, trajectories.States, looks, indexing, start, count);
        }

        public ReadOnlySpan<byte> EndRender(int slot) => source._slots[slot].End();

        public void Dispose()
        {
            foreach (var slot in source._slots) slot.Finish();   // no render may outlive the trajectories it reads
            looks.Dispose();
            source.Retire(physics, trajectories);
        }
    }
}
