namespace WeJepa.Vulkan.Extensions;

/// <summary>
/// VK_KHR_external_memory_fd (device extension): exports a device allocation as a POSIX file
/// descriptor (opaque fd), which CUDA imports with <c>cudaImportExternalMemory</c>.
/// </summary>
internal readonly unsafe struct ExternalMemoryFd
{
    public const string Extension = "VK_KHR_external_memory_fd";

    public readonly delegate* unmanaged<Vk.Device, Vk.MemoryGetFdInfoKHR*, int*, Vk.Result> GetMemoryFd;

    public ExternalMemoryFd(Vk.Device device)
    {
        GetMemoryFd = (delegate* unmanaged<Vk.Device, Vk.MemoryGetFdInfoKHR*, int*, Vk.Result>)ProcAddress.Device(device, "vkGetMemoryFdKHR");
    }
}
