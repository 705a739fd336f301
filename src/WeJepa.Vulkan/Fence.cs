namespace WeJepa.Vulkan;

/// <summary><c>VkFence</c>: the host waits on it for submitted work to complete.</summary>
public sealed unsafe class Fence : DeviceObject
{
    internal Vk.Fence Handle { get; private set; }

    internal Fence(VulkanDevice device, bool signaled) : base(device)
    {
        var info = new Vk.FenceCreateInfo(flags: signaled ? Vk.FenceCreateFlags.SignaledBit : 0);
        Vk.Fence fence;
        Api.CreateFence(device.Handle, &info, null, &fence).Check();
        Handle = fence;
        Register();
    }

    public bool IsSignaled
    {
        get
        {
            ThrowIfDisposed();
            return Api.GetFenceStatus(Device.Handle, Handle).Check() == Vk.Result.Success;
        }
    }

    /// <summary>Blocks until signaled; throws <see cref="TimeoutException"/> after <paramref name="timeout"/> (default: forever).</summary>
    public void Wait(TimeSpan? timeout = null)
    {
        ThrowIfDisposed();
        var fence = Handle;
        var ns = timeout is { } t ? (ulong)Math.Max(0, t.Ticks) * 100 : ulong.MaxValue;
        if (Api.WaitForFences(Device.Handle, 1, &fence, true, ns).Check() == Vk.Result.Timeout)
            throw new TimeoutException($"vkWaitForFences: GPU work did not finish within {timeout}");
    }

    public void Reset()
    {
        ThrowIfDisposed();
        var fence = Handle;
        Api.ResetFences(Device.Handle, 1, &fence).Check();
    }

    private protected override void Destroy()
    {
        Api.DestroyFence(Device.Handle, Handle, null);
        Handle = default;
    }
}
