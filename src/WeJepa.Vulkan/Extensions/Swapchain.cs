namespace WeJepa.Vulkan.Extensions;

/// <summary>VK_KHR_swapchain (device extension): the images a window shows, acquired and presented in turn.</summary>
internal readonly unsafe struct Swapchain
{
    public const string Extension = "VK_KHR_swapchain";

    public readonly delegate* unmanaged<Vk.Device, Vk.SwapchainCreateInfoKHR*, Vk.AllocationCallbacks*, Vk.SwapchainKHR*, Vk.Result> CreateSwapchain;
    public readonly delegate* unmanaged<Vk.Device, Vk.SwapchainKHR, Vk.AllocationCallbacks*, void> DestroySwapchain;
    public readonly delegate* unmanaged<Vk.Device, Vk.SwapchainKHR, uint*, Vk.Image*, Vk.Result> GetSwapchainImages;
    public readonly delegate* unmanaged<Vk.Device, Vk.SwapchainKHR, ulong, Vk.Semaphore, Vk.Fence, uint*, Vk.Result> AcquireNextImage;
    public readonly delegate* unmanaged<Vk.Queue, Vk.PresentInfoKHR*, Vk.Result> QueuePresent;

    public Swapchain(Vk.Device device)
    {
        CreateSwapchain = (delegate* unmanaged<Vk.Device, Vk.SwapchainCreateInfoKHR*, Vk.AllocationCallbacks*, Vk.SwapchainKHR*, Vk.Result>)
            ProcAddress.Device(device, "vkCreateSwapchainKHR");
        DestroySwapchain = (delegate* unmanaged<Vk.Device, Vk.SwapchainKHR, Vk.AllocationCallbacks*, void>)
            ProcAddress.Device(device, "vkDestroySwapchainKHR");
        GetSwapchainImages = (delegate* unmanaged<Vk.Device, Vk.SwapchainKHR, uint*, Vk.Image*, Vk.Result>)
            ProcAddress.Device(device, "vkGetSwapchainImagesKHR");
        AcquireNextImage = (delegate* unmanaged<Vk.Device, Vk.SwapchainKHR, ulong, Vk.Semaphore, Vk.Fence, uint*, Vk.Result>)
            ProcAddress.Device(device, "vkAcquireNextImageKHR");
        QueuePresent = (delegate* unmanaged<Vk.Queue, Vk.PresentInfoKHR*, Vk.Result>)ProcAddress.Device(device, "vkQueuePresentKHR");
    }
}
