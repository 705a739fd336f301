namespace WeJepa.Vulkan.Extensions;

/// <summary>VK_KHR_surface (instance extension): what a window surface supports, and its destruction.</summary>
internal readonly unsafe struct Surface
{
    public const string Extension = "VK_KHR_surface";

    public readonly delegate* unmanaged<Vk.Instance, Vk.SurfaceKHR, Vk.AllocationCallbacks*, void> DestroySurface;
    public readonly delegate* unmanaged<Vk.PhysicalDevice, uint, Vk.SurfaceKHR, Silk.NET.Core.Bool32*, Vk.Result> GetPhysicalDeviceSurfaceSupport;
    public readonly delegate* unmanaged<Vk.PhysicalDevice, Vk.SurfaceKHR, Vk.SurfaceCapabilitiesKHR*, Vk.Result> GetPhysicalDeviceSurfaceCapabilities;
    public readonly delegate* unmanaged<Vk.PhysicalDevice, Vk.SurfaceKHR, uint*, Vk.SurfaceFormatKHR*, Vk.Result> GetPhysicalDeviceSurfaceFormats;
    public readonly delegate* unmanaged<Vk.PhysicalDevice, Vk.SurfaceKHR, uint*, Vk.PresentModeKHR*, Vk.Result> GetPhysicalDeviceSurfacePresentModes;

    public Surface(Vk.Instance instance)
    {
        DestroySurface = (delegate* unmanaged<Vk.Instance, Vk.SurfaceKHR, Vk.AllocationCallbacks*, void>)
            ProcAddress.Instance(instance, "vkDestroySurfaceKHR");
        GetPhysicalDeviceSurfaceSupport = (delegate* unmanaged<Vk.PhysicalDevice, uint, Vk.SurfaceKHR, Silk.NET.Core.Bool32*, Vk.Result>)
            ProcAddress.Instance(instance, "vkGetPhysicalDeviceSurfaceSupportKHR");
        GetPhysicalDeviceSurfaceCapabilities = (delegate* unmanaged<Vk.PhysicalDevice, Vk.SurfaceKHR, Vk.SurfaceCapabilitiesKHR*, Vk.Result>)
            ProcAddress.Instance(instance, "vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        GetPhysicalDeviceSurfaceFormats = (delegate* unmanaged<Vk.PhysicalDevice, Vk.SurfaceKHR, uint*, Vk.SurfaceFormatKHR*, Vk.Result>)
            ProcAddress.Instance(instance, "vkGetPhysicalDeviceSurfaceFormatsKHR");
        GetPhysicalDeviceSurfacePresentModes = (delegate* unmanaged<Vk.PhysicalDevice, Vk.SurfaceKHR, uint*, Vk.PresentModeKHR*, Vk.Result>)
            ProcAddress.Instance(instance, "vkGetPhysicalDeviceSurfacePresentModesKHR");
    }
}
