using WeJepa.Core.Errors;

namespace WeJepa.Vulkan;

/// <summary><c>VkDeviceMemory</c>: one allocation, mapped for its whole life when host visible.</summary>
internal sealed unsafe class DeviceMemory : DeviceObject
{
    private const Vk.ExternalMemoryHandleTypeFlags OpaqueFd = Vk.ExternalMemoryHandleTypeFlags.OpaqueFDBit;

    public Vk.DeviceMemory Handle { get; private set; }
    public long SizeBytes { get; }
    /// <summary>Host address of the allocation; null when not mapped.</summary>
    public void* Mapped { get; private set; }
    /// <summary>Allocated with VkExportMemoryAllocateInfo (opaque fd): <see cref="ExportFd"/> works.</summary>
    public bool Exportable { get; }

    public DeviceMemory(VulkanDevice device, Vk.MemoryRequirements requirements, MemoryPlacement placement, long requestedBytes, bool exportable)
        : base(device)
    {
        var type = device.ChooseMemoryType(requirements.MemoryTypeBits, placement, out var map, out var heapSize);
        if (type < 0)
            throw VkCheck.Error(Vk.Result.ErrorFeatureNotPresent, $"vkAllocateMemory (no memory type for {placement})");
        if ((long)requirements.Size > heapSize)
            throw TooBig(device, requestedBytes, heapSize);
        var export = new Vk.ExportMemoryAllocateInfo(handleTypes: OpaqueFd);
        var info = new Vk.MemoryAllocateInfo(
            pNext: exportable ? &export : null,
            allocationSize: requirements.Size,
            memoryTypeIndex: (uint)type);
        Vk.DeviceMemory memory;
        var result = Api.AllocateMemory(device.Handle, &info, null, &memory);
        if (result is Vk.Result.ErrorOutOfDeviceMemory or Vk.Result.ErrorOutOfHostMemory)
            throw TooBig(device, requestedBytes, heapSize, result);
        result.Check("vkAllocateMemory");
        Handle = memory;
        SizeBytes = (long)requirements.Size;
        Exportable = exportable;
        if (map)
        {
            void* pointer;
            var mapResult = Api.MapMemory(device.Handle, memory, 0, Vk.Vk.WholeSize, 0, &pointer);
            if (mapResult < 0)
            {
                Api.FreeMemory(device.Handle, memory, null);
                throw VkCheck.Error(mapResult, "vkMapMemory");
            }
            Mapped = pointer;
        }
        Register();
    }

    /// <summary>vkGetMemoryFdKHR: a new file descriptor for this allocation, owned by the caller.</summary>
    public int ExportFd()
    {
        if (!Exportable) throw new InvalidOperationException("the buffer was not created exportable (CreateBuffer(…, exportable: true))");
        var functions = Device.ExternalMemoryFdFunctions
                        ?? throw new InvalidOperationException($"{VulkanOptions.ExternalMemoryFd} is not enabled on {Device.Info.Name}");
        var info = new Vk.MemoryGetFdInfoKHR(memory: Handle, handleType: OpaqueFd);
        int fd;
        functions.GetMemoryFd(Device.Handle, &info, &fd).Check("vkGetMemoryFdKHR");
        return fd;
    }

    /// <summary>The error for a buffer the device cannot hold: a user-fixable size problem, not a crash.</summary>
    internal static UserError TooBig(VulkanDevice device, long bytes, long heapSize, Vk.Result? result = null, string call = "vkAllocateMemory") => new(
        $"a device buffer of {Mib(bytes)} does not fit the memory of {device.Info.Name} " +
        $"(largest heap {Mib(heapSize)}{(result is { } r ? $", {call} returned {r.Name()}" : "")}): use a smaller batch or resolution",
        ExitCodes.BadInput);

    internal static string Mib(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MiB";

    private protected override void Destroy()
    {
        if (Mapped != null) Api.UnmapMemory(Device.Handle, Handle);
        Mapped = null;
        Api.FreeMemory(Device.Handle, Handle, null);
        Handle = default;
    }
}
