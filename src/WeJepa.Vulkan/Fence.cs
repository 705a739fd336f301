using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary><c>VkFence</c>: the host waits on it for submitted work to complete.</summary>
public sealed unsafe class Fence : DeviceObject
{
    internal VkFence Handle { get; private set; }

    internal Fence(VulkanDevice device, bool signaled) : base(device)
    {
        var info = new VkFenceCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
            flags = signaled ? 1u : 0u,   // VK_FENCE_CREATE_SIGNALED_BIT
        };
        VkFence fence;
        Vk.vkCreateFence(device.Handle, &info, null, &fence).Check();
        Handle = fence;
        Register();
    }

    public bool IsSignaled
    {
        get
        {
            ThrowIfDisposed();
            return Vk.vkGetFenceStatus(Device.Handle, Handle).Check() == VkResult.VK_SUCCESS;
        }
    }

    /// <summary>Blocks until signaled; throws <see cref="TimeoutException"/> after <paramref name="timeout"/> (default: forever).</summary>
    public void Wait(TimeSpan? timeout = null)
    {
        ThrowIfDisposed();
        var fence = Handle;
        var ns = timeout is { } t ? (ulong)Math.Max(0, t.Ticks) * 100 : ulong.MaxValue;
        if (Vk.vkWaitForFences(Device.Handle, 1, &fence, VkConstants.VK_TRUE, ns).Check() == VkResult.VK_TIMEOUT)
            throw new TimeoutException($"vkWaitForFences: GPU work did not finish within {timeout}");
    }

    public void Reset()
    {
        ThrowIfDisposed();
        var fence = Handle;
        Vk.vkResetFences(Device.Handle, 1, &fence).Check();
    }

    private protected override void Destroy()
    {
        Vk.vkDestroyFence(Device.Handle, Handle, null);
        Handle = default;
    }
}
