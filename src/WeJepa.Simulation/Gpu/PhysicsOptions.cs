namespace WeJepa.Simulation.Gpu;

/// <summary>Tuning knobs of <see cref="GpuPhysics"/>; the defaults suit lavapipe and NVIDIA alike.</summary>
public sealed record PhysicsOptions
{
    /// <summary>Invocations per workgroup, <see cref="GpuPhysics.EnvsPerInvocation"/> environments each (specialisation constant of physics.comp).</summary>
    public int WorkgroupSize { get; init; } = 64;

    /// <summary>Most steps one dispatch integrates; longer requests become several dispatches in one submit.</summary>
    public int StepsPerDispatch { get; init; } = 1000;

    /// <summary>Cap on environments per dispatch (0: as many as the binding and workgroup limits allow).</summary>
    public int MaxEnvsPerDispatch { get; init; }

    /// <summary>
    /// Largest binding in bytes (0: the device's maxStorageBufferRange). Lower it to exercise the split
    /// on devices with a big limit (NVIDIA binds 4 GiB, lavapipe 128 MiB).
    /// </summary>
    public long MaxBindingBytes { get; init; }
}
