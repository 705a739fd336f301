namespace WeJepa.Vulkan.Extensions;

/// <summary>
/// Extension entry points, which the loader does not export (and the Silk.NET.Vulkan.Extensions.*
/// packages that would wrap them are not available here): looked up by name on the instance or device
/// that enabled the extension, and called through unmanaged function pointers. Each extension is one
/// small table in this folder (<see cref="DebugUtils"/>, <see cref="ExternalMemoryFd"/>); a new one
/// (e.g. VK_KHR_surface / VK_KHR_swapchain for the window) follows the same pattern: its
/// <c>delegate* unmanaged&lt;…&gt;</c> fields, filled in the constructor with <see cref="Instance"/> or
/// <see cref="Device"/>, using the structs and handles Silk.NET.Vulkan already has.
/// </summary>
internal static unsafe class ProcAddress
{
    /// <exception cref="VulkanException">VK_ERROR_EXTENSION_NOT_PRESENT naming the function, when the instance lacks it.</exception>
    public static nint Instance(Vk.Instance instance, string name) => Required((nint)Api.GetInstanceProcAddr(instance, name), name);

    /// <exception cref="VulkanException">VK_ERROR_EXTENSION_NOT_PRESENT naming the function, when the device lacks it.</exception>
    public static nint Device(Vk.Device device, string name) => Required((nint)Api.GetDeviceProcAddr(device, name), name);

    private static nint Required(nint pointer, string name) =>
        pointer != 0 ? pointer : throw VkCheck.Error(Vk.Result.ErrorExtensionNotPresent, name);
}
