namespace WeJepa.Vulkan;

/// <summary>
/// Base of every object created on a <see cref="VulkanDevice"/>. Dispose is idempotent; objects still
/// alive when the device is disposed are destroyed by it in reverse creation order (vkguide's deletion
/// queue), so a forgotten buffer never outlives its <c>VkDevice</c>.
/// </summary>
public abstract class DeviceObject : IDisposable
{
    private bool disposed;

    private protected DeviceObject(VulkanDevice device)
    {
        device.ThrowIfDisposed();
        Device = device;
    }

    public VulkanDevice Device { get; }
    public bool IsDisposed => disposed;

    /// <summary>Call at the end of a successful constructor: from then on the device owns the lifetime.</summary>
    private protected void Register() => Device.Track(this);

    /// <summary>Destroys the Vulkan handles (each exactly once); called by <see cref="Dispose"/> only.</summary>
    private protected abstract void Destroy();

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        try { Destroy(); }
        finally { Device.Untrack(this); }   // even when a wait inside Destroy fails (device lost)
    }

    private protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);
}
