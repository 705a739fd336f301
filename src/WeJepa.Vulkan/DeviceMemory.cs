using WeJepa.Core.Errors;
using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary><c>VkDeviceMemory</c>: one allocation, mapped for its whole life when host visible.</summary>
internal sealed unsafe class DeviceMemory : DeviceObject
{
    public VkDeviceMemory Handle { get; private set; }
    public long SizeBytes { get; }
    /// <summary>Host address of the allocation; null when not mapped.</summary>
    public void* Mapped { get; private set; }

    public DeviceMemory(VulkanDevice device, VkMemoryRequirements requirements, MemoryPlacement placement, long requestedBytes)
        : base(device)
    {
        var type = device.ChooseMemoryType(requirements.memoryTypeBits, placement, out var map, out var heapSize);
        if (type < 0)
            throw VkCheck.Error(VkResult.VK_ERROR_FEATURE_NOT_PRESENT, $"vkAllocateMemory (no memory type for {placement})");
        if ((long)requirements.size > heapSize)
            throw TooBig(device, requestedBytes, heapSize);
        var info = new VkMemoryAllocateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
            allocationSize = requirements.size,
            memoryTypeIndex = (uint)type,
        };
        VkDeviceMemory memory;
        var result = Vk.vkAllocateMemory(device.Handle, &info, null, &memory);
        if (result is VkResult.VK_ERROR_OUT_OF_DEVICE_MEMORY or VkResult.VK_ERROR_OUT_OF_HOST_MEMORY)
            throw TooBig(device, requestedBytes, heapSize, result);
        result.Check("vkAllocateMemory");
        Handle = memory;
        SizeBytes = (long)requirements.size;
        if (map)
        {
            void* pointer;
            var mapResult = Vk.vkMapMemory(device.Handle, memory, 0, VkConstants.VK_WHOLE_SIZE, 0, &pointer);
            if (mapResult < 0)
            {
                Vk.vkFreeMemory(device.Handle, memory, null);
                throw VkCheck.Error(mapResult, "vkMapMemory");
            }
            Mapped = pointer;
        }
        Register();
    }

    /// <summary>The error for a buffer the device cannot hold: a user-fixable size problem, not a crash.</summary>
    internal static UserError TooBig(VulkanDevice device, long bytes, long heapSize, VkResult? result = null, string call = "vkAllocateMemory") => new(
        $"a device buffer of {Mib(bytes)} does not fit the memory of {device.Info.Name} " +
        $"(largest heap {Mib(heapSize)}{(result is null ? "" : $", {call} returned {result}")}): use a smaller batch or resolution",
        ExitCodes.BadInput);

    internal static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MiB";

    private protected override void Destroy()
    {
        if (Mapped != null) Vk.vkUnmapMemory(Device.Handle, Handle);
        Mapped = null;
        Vk.vkFreeMemory(Device.Handle, Handle, null);
        Handle = default;
    }
}
