using WeJepa.Vulkan;

namespace WeJepa.Simulation.Gpu;

/// <summary>
/// Device-resident output of <see cref="GpuPhysics.Step"/>: <see cref="States"/> is float32 (N, F, S)
/// and <see cref="Energy"/> float32 (N, F) total energy, C order. Local frame j holds the rollout's
/// frame <see cref="FrameOffset"/> + j (frame k = the state after k steps, at time k·dt), so a long
/// rollout can stream through a window of F frames. Host reads are explicit (<see cref="ReadStates"/>).
/// </summary>
public sealed class TrajectoryBuffers : IDisposable
{
    public int Envs { get; }
    public int Frames { get; }
    public int StateSize { get; }
    /// <summary>The rollout frame stored at local frame 0.</summary>
    public int FrameOffset { get; set; }
    /// <summary>(N, F, S) float32.</summary>
    public DeviceBuffer States { get; }
    /// <summary>(N, F) float32.</summary>
    public DeviceBuffer Energy { get; }

    public TrajectoryBuffers(VulkanDevice device, int envs, int frames, int stateSize, MemoryPlacement placement = MemoryPlacement.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(envs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateSize, 1);
        (Envs, Frames, StateSize) = (envs, frames, stateSize);
        States = device.CreateBuffer(4L * envs * frames * stateSize, placement);
        try { Energy = device.CreateBuffer(4L * envs * frames, placement); }
        catch { States.Dispose(); throw; }
    }

    public bool IsDisposed => States.IsDisposed || Energy.IsDisposed;

    /// <summary>Explicit host read of all states, (N, F, S).</summary>
    public float[] ReadStates() => States.ReadToHost<float>(checked(Envs * Frames * StateSize));

    /// <summary>Explicit host read of all energies, (N, F).</summary>
    public float[] ReadEnergy() => Energy.ReadToHost<float>(checked(Envs * Frames));

    public void Dispose()
    {
        Energy.Dispose();
        States.Dispose();
    }
}
