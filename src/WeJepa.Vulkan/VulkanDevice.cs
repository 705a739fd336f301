using WeJepa.Core.Errors;
using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary>
/// The entry point of the runtime: a Vulkan instance, the chosen physical device, a logical device
/// with one compute queue, and the command pool. Everything else (<see cref="DeviceBuffer"/>,
/// <see cref="ComputePipeline"/>, <see cref="CommandBuffer"/>, …) is created from it and destroyed by
/// it at the latest. Single-threaded: use one device per thread.
/// </summary>
public sealed unsafe class VulkanDevice : IDisposable
{
    private readonly VulkanInstance instance;
    private readonly DebugMessenger? messenger;
    private readonly List<DeviceObject> live = [];
    private readonly HashSet<string> extensions;
    private readonly MemoryTypeInfo[] memoryTypes;
    private readonly MemoryHeapInfo[] memoryHeaps;
    private VkCommandPool commandPool;
    private bool disposed;

    internal VkPhysicalDevice PhysicalDevice { get; }
    internal VkDevice Handle { get; private set; }
    internal VkQueue Queue { get; }
    internal uint QueueFamily { get; }
    internal VkCommandPool CommandPool => commandPool;

    /// <summary>The chosen device and its limits.</summary>
    public GpuInfo Info { get; }
    /// <summary>Whether the validation layer is active (requested and installed).</summary>
    public bool ValidationEnabled => messenger is not null;
    /// <summary>Largest storage-buffer binding in bytes: bigger batches must be split across bindings.</summary>
    public long MaxStorageBufferRange => Info.MaxStorageBufferRange;
    /// <summary>Storage-buffer binding offsets must be multiples of this many bytes.</summary>
    public long StorageBufferOffsetAlignment => Info.StorageBufferOffsetAlignment;

    /// <summary>Opens the device chosen by <paramref name="options"/> (environment variables fill unset fields).</summary>
    /// <exception cref="UserError">No driver (exit code 3) or no device matching the selector (exit code 2).</exception>
    public static VulkanDevice Create(VulkanOptions? options = null) => new((options ?? new VulkanOptions()).WithEnvironment());

    /// <summary>Every Vulkan device visible to the loader (for <c>--gpu</c> help and diagnostics).</summary>
    public static IReadOnlyList<GpuInfo> ListGpus()
    {
        using var inst = new VulkanInstance(validation: false);
        return inst.PhysicalDevices().Select((d, i) => Describe(d, i)).ToList();
    }

    private VulkanDevice(VulkanOptions options)
    {
        instance = new VulkanInstance(options.Validation);
        try
        {
            if (instance.ValidationEnabled) messenger = new DebugMessenger(instance);
            var physical = instance.PhysicalDevices();
            var infos = physical.Select((d, i) => Describe(d, i)).ToList();
            Info = GpuSelection.Choose(infos, options.Gpu);
            PhysicalDevice = physical[Info.Index];
            QueueFamily = (uint)ComputeQueueFamily(PhysicalDevice);

            var available = DeviceExtensions(PhysicalDevice);
            extensions = [.. options.OptionalDeviceExtensions.Where(available.Contains)];
            Handle = CreateLogicalDevice(PhysicalDevice, QueueFamily, [.. extensions]);
            VkQueue queue;
            Vk.vkGetDeviceQueue(Handle, QueueFamily, 0, &queue);
            Queue = queue;

            var poolInfo = new VkCommandPoolCreateInfo
            {
                sType = VkStructureType.VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                flags = VkCommandPoolCreateFlags.VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
                queueFamilyIndex = QueueFamily,
            };
            VkCommandPool pool;
            Vk.vkCreateCommandPool(Handle, &poolInfo, null, &pool).Check();
            commandPool = pool;

            VkPhysicalDeviceMemoryProperties memory;
            Vk.vkGetPhysicalDeviceMemoryProperties(PhysicalDevice, &memory);
            memoryTypes = new MemoryTypeInfo[memory.memoryTypeCount];
            for (var i = 0; i < memoryTypes.Length; i++)
                memoryTypes[i] = new MemoryTypeInfo(memory.MemoryType(i).propertyFlags, (int)memory.MemoryType(i).heapIndex);
            memoryHeaps = new MemoryHeapInfo[memory.memoryHeapCount];
            for (var i = 0; i < memoryHeaps.Length; i++)
                memoryHeaps[i] = new MemoryHeapInfo(memory.MemoryHeap(i).size, memory.MemoryHeap(i).flags);
        }
        catch
        {
            DestroyCore();
            throw;
        }
    }

    /// <summary>True when <paramref name="name"/> was requested in the options and is enabled.</summary>
    public bool HasExtension(string name) => extensions.Contains(name);

    /// <summary>Validation-layer errors seen so far (empty without validation).</summary>
    public IReadOnlyList<string> ValidationErrors => messenger?.Errors ?? [];
    /// <summary>Validation-layer warnings seen so far (empty without validation).</summary>
    public IReadOnlyList<string> ValidationWarnings => messenger?.Warnings ?? [];

    /// <summary>Throws if the validation layer reported an error since the last call, then forgets them.</summary>
    public void ThrowIfValidationErrors()
    {
        if (messenger is null) return;
        var errors = messenger.Errors;
        messenger.Clear();
        if (errors.Count > 0)
            throw new InvalidOperationException($"Vulkan validation reported {errors.Count} error(s):\n" + string.Join("\n", errors));
    }

    public DeviceBuffer CreateBuffer(long sizeBytes, MemoryPlacement placement = MemoryPlacement.Auto) => new(this, sizeBytes, placement);

    /// <summary>A compute pipeline from <c>shaders/&lt;name&gt;.spv</c> beside the binaries (see <see cref="ShaderFiles"/>).</summary>
    /// <param name="storageBuffers">Bindings 0..n-1 of set 0, all storage buffers.</param>
    /// <param name="pushConstantBytes">Size of the push-constant block (multiple of 4, 0 for none).</param>
    /// <param name="specialization">Values of <c>constant_id = 0, 1, …</c> (e.g. the workgroup size).</param>
    public ComputePipeline CreateComputePipeline(string shaderName, int storageBuffers, int pushConstantBytes,
        ReadOnlySpan<uint> specialization = default) =>
        new(this, shaderName, ShaderFiles.Load(shaderName), storageBuffers, pushConstantBytes, specialization);

    /// <summary>A compute pipeline from SPIR-V words already in memory.</summary>
    public ComputePipeline CreateComputePipeline(string name, ReadOnlySpan<uint> spirv, int storageBuffers, int pushConstantBytes,
        ReadOnlySpan<uint> specialization = default) =>
        new(this, name, spirv, storageBuffers, pushConstantBytes, specialization);

    public CommandBuffer CreateCommandBuffer() => new(this);

    public Fence CreateFence(bool signaled = false) => new(this, signaled);

    /// <summary>Records commands with <paramref name="record"/>, submits them and waits for completion.</summary>
    public void Submit(Action<CommandBuffer> record)
    {
        using var commands = CreateCommandBuffer();
        commands.Begin();
        record(commands);
        commands.End();
        commands.SubmitAndWait();
    }

    public void WaitIdle()
    {
        ThrowIfDisposed();
        Vk.vkDeviceWaitIdle(Handle).Check();
    }

    internal int ChooseMemoryType(uint allowedTypes, MemoryPlacement placement, out bool mapped, out long heapSize)
    {
        var index = MemoryTypeChoice.Choose(memoryTypes, memoryHeaps, allowedTypes, placement, out mapped);
        heapSize = index < 0 ? 0 : (long)memoryHeaps[memoryTypes[index].HeapIndex].Size;
        return index;
    }

    internal void Track(DeviceObject o) => live.Add(o);
    internal void Untrack(DeviceObject o) => live.Remove(o);
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        var idle = DestroyCore();
        if (idle < 0) throw VkCheck.Error(idle, "vkDeviceWaitIdle");   // after teardown, so nothing leaks
    }

    /// <summary>Reverse creation order: children, command pool, device, messenger, instance.</summary>
    /// <returns>The result of waiting for the device to go idle first (teardown continues regardless).</returns>
    private VkResult DestroyCore()
    {
        var idle = Handle.Handle != 0 ? Vk.vkDeviceWaitIdle(Handle) : VkResult.VK_SUCCESS;
        while (live.Count > 0) live[^1].Dispose();   // each Dispose untracks itself (and what it owns)
        if (commandPool.Handle != 0) Vk.vkDestroyCommandPool(Handle, commandPool, null);
        commandPool = default;
        if (Handle.Handle != 0) Vk.vkDestroyDevice(Handle, null);
        Handle = default;
        messenger?.Dispose();
        instance.Dispose();
        return idle;
    }

    private static GpuInfo Describe(VkPhysicalDevice device, int index)
    {
        VkPhysicalDeviceProperties p;
        Vk.vkGetPhysicalDeviceProperties(device, &p);
        VkPhysicalDeviceMemoryProperties m;
        Vk.vkGetPhysicalDeviceMemoryProperties(device, &m);
        long localBytes = 0;
        for (var h = 0; h < m.memoryHeapCount; h++)
            if ((m.MemoryHeap(h).flags & VkMemoryHeapFlags.VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0)
                localBytes = Math.Max(localBytes, (long)m.MemoryHeap(h).size);
        var v = p.apiVersion;
        return new GpuInfo
        {
            Index = index,
            Name = Utf8.Decode(p.deviceName),
            Type = (GpuType)p.deviceType,
            ApiVersion = $"{VkConstants.VK_API_VERSION_MAJOR(v)}.{VkConstants.VK_API_VERSION_MINOR(v)}.{VkConstants.VK_API_VERSION_PATCH(v)}",
            VendorId = p.vendorID,
            DeviceId = p.deviceID,
            HasComputeQueue = ComputeQueueFamily(device) >= 0,
            MaxStorageBufferRange = p.limits.maxStorageBufferRange,
            StorageBufferOffsetAlignment = (long)p.limits.minStorageBufferOffsetAlignment,
            MaxPushConstantsSize = (int)p.limits.maxPushConstantsSize,
            MaxWorkGroupCountX = p.limits.maxComputeWorkGroupCount[0],
            MaxWorkGroupSizeX = (int)p.limits.maxComputeWorkGroupSize[0],
            DeviceLocalBytes = localBytes,
        };
    }

    /// <summary>The first queue family with compute; -1 when none.</summary>
    private static int ComputeQueueFamily(VkPhysicalDevice device)
    {
        uint count;
        Vk.vkGetPhysicalDeviceQueueFamilyProperties(device, &count, null);
        var families = new VkQueueFamilyProperties[count];
        fixed (VkQueueFamilyProperties* f = families) Vk.vkGetPhysicalDeviceQueueFamilyProperties(device, &count, f);
        for (var i = 0; i < count; i++)
            if ((families[i].queueFlags & VkQueueFlags.VK_QUEUE_COMPUTE_BIT) != 0) return i;
        return -1;
    }

    private static HashSet<string> DeviceExtensions(VkPhysicalDevice device)
    {
        uint count;
        Vk.vkEnumerateDeviceExtensionProperties(device, null, &count, null).Check();
        var props = new VkExtensionProperties[count];
        fixed (VkExtensionProperties* p = props) Vk.vkEnumerateDeviceExtensionProperties(device, null, &count, p).Check();
        var names = new HashSet<string>();
        for (var i = 0; i < count; i++)
            fixed (byte* n = props[i].extensionName) names.Add(Utf8.Decode(n));
        return names;
    }

    private static VkDevice CreateLogicalDevice(VkPhysicalDevice physical, uint family, string[] extensionNames)
    {
        var priority = 1f;
        var queueInfo = new VkDeviceQueueCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
            queueFamilyIndex = family,
            queueCount = 1,
            pQueuePriorities = &priority,
        };
        using var names = new Utf8Strings(extensionNames);
        var info = new VkDeviceCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
            queueCreateInfoCount = 1,
            pQueueCreateInfos = &queueInfo,
            enabledExtensionCount = (uint)extensionNames.Length,
            ppEnabledExtensionNames = names.Pointers,
        };
        VkDevice device;
        Vk.vkCreateDevice(physical, &info, null, &device).Check();
        return device;
    }
}
