using Silk.NET.Core.Native;
using WeJepa.Core.Errors;
using WeJepa.Vulkan.Extensions;

namespace WeJepa.Vulkan;

/// <summary>
/// The entry point of the runtime: a Vulkan instance, the chosen physical device, a logical device
/// with one compute queue, and the command pool. Everything else (<see cref="DeviceBuffer"/>,
/// <see cref="ComputePipeline"/>, <see cref="CommandBuffer"/>, …) is created from it and destroyed by
/// it at the latest. Single-threaded: use one device per thread.
/// </summary>
public sealed unsafe class VulkanDevice : IDisposable
{
    private readonly VulkanOptions options;
    private readonly VulkanInstance instance;
    private readonly DebugMessenger? messenger;
    private readonly List<DeviceObject> live = [];
    private readonly HashSet<string> extensions;
    private readonly MemoryTypeInfo[] memoryTypes;
    private readonly MemoryHeapInfo[] memoryHeaps;
    private ExternalMemoryFd? externalMemoryFd;
    private bool disposed;

    internal VulkanInstance Instance => instance;
    internal Vk.PhysicalDevice PhysicalDevice { get; }
    internal Vk.Device Handle { get; private set; }
    internal Vk.Queue Queue { get; }
    internal uint QueueFamily { get; }

    /// <summary>
    /// Held around every use of <see cref="Queue"/> (submit, present): a <c>VkQueue</c> is externally synchronised,
    /// and a batch stream's worker submits while its caller may submit too.
    /// </summary>
    internal object QueueLock { get; } = new();

    /// <summary>The chosen device and its limits.</summary>
    public GpuInfo Info { get; }

    /// <summary>Bytes moved between the host and this device's buffers (<see cref="DeviceBuffer.Upload{T}"/>, reads back, staging included).</summary>
    public WeJepa.Core.Diagnostics.TransferCounter Transfers { get; } = new();
    /// <summary>Whether the validation layer is active (requested and installed).</summary>
    public bool ValidationEnabled => messenger is not null;
    /// <summary>Largest storage-buffer binding in bytes: bigger batches must be split across bindings.</summary>
    public long MaxStorageBufferRange => Info.MaxStorageBufferRange;
    /// <summary>Storage-buffer binding offsets must be multiples of this many bytes.</summary>
    public long StorageBufferOffsetAlignment => Info.StorageBufferOffsetAlignment;

    /// <summary>Opens the device chosen by <paramref name="options"/> (environment variables fill unset fields).</summary>
    /// <exception cref="UserError">No driver (exit code 3) or no device matching the selector (exit code 2).</exception>
    public static VulkanDevice Create(VulkanOptions? options = null) => new((options ?? new VulkanOptions()).WithEnvironment());

    /// <summary>The Vulkan binding in use, e.g. "Silk.NET.Vulkan 2.23.0" (for <c>wejepa doctor</c>).</summary>
    public static string Binding => VulkanLibrary.Binding;

    /// <summary>The loader's instance-level API version, e.g. "1.3.239".</summary>
    /// <exception cref="UserError">The loader is missing (exit code 3).</exception>
    public static string LoaderVersion() => VulkanInstance.LoaderVersion();

    /// <summary>Every Vulkan device visible to the loader (for <c>--gpu</c> help and diagnostics).</summary>
    public static IReadOnlyList<GpuInfo> ListGpus()
    {
        using var inst = new VulkanInstance(validation: false);
        return inst.PhysicalDevices().Select((d, i) => Describe(d, i)).ToList();
    }

    private VulkanDevice(VulkanOptions options)
    {
        this.options = options;
        instance = new VulkanInstance(options.Validation, options.InstanceExtensions);
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
            Vk.Queue queue;
            Api.GetDeviceQueue(Handle, QueueFamily, 0, &queue);
            Queue = queue;

            Vk.PhysicalDeviceMemoryProperties memory;
            Api.GetPhysicalDeviceMemoryProperties(PhysicalDevice, &memory);
            memoryTypes = new MemoryTypeInfo[memory.MemoryTypeCount];
            for (var i = 0; i < memoryTypes.Length; i++)
                memoryTypes[i] = new MemoryTypeInfo(memory.MemoryTypes[i].PropertyFlags, (int)memory.MemoryTypes[i].HeapIndex);
            memoryHeaps = new MemoryHeapInfo[memory.MemoryHeapCount];
            for (var i = 0; i < memoryHeaps.Length; i++)
                memoryHeaps[i] = new MemoryHeapInfo(memory.MemoryHeaps[i].Size, memory.MemoryHeaps[i].Flags);
            if (extensions.Contains(ExternalMemoryFd.Extension)) externalMemoryFd = new ExternalMemoryFd(Handle);
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

    /// <param name="exportable">
    /// Allocate memory that <see cref="DeviceBuffer.ExportMemoryFd"/> can hand to another API (CUDA); needs
    /// <see cref="VulkanOptions.ExternalMemoryFd"/> in <see cref="VulkanOptions.OptionalDeviceExtensions"/>.
    /// </param>
    public DeviceBuffer CreateBuffer(long sizeBytes, MemoryPlacement placement = MemoryPlacement.Auto, bool exportable = false)
    {
        ThrowIfDisposed();
        if (exportable && externalMemoryFd is null)
            throw new InvalidOperationException(
                $"an exportable buffer needs {ExternalMemoryFd.Extension}, which {Info.Name} " +
                (options.OptionalDeviceExtensions.Contains(ExternalMemoryFd.Extension) ? "does not support" : "was not opened with (VulkanOptions.OptionalDeviceExtensions)"));
        return new(this, sizeBytes, placement, exportable);
    }

    /// <summary>The VK_KHR_external_memory_fd entry points, when that extension is enabled.</summary>
    internal ExternalMemoryFd? ExternalMemoryFdFunctions => externalMemoryFd;

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
        Api.DeviceWaitIdle(Handle).Check();
    }

    internal int ChooseMemoryType(uint allowedTypes, MemoryPlacement placement, out bool mapped, out long heapSize)
    {
        var index = MemoryTypeChoice.Choose(memoryTypes, memoryHeaps, allowedTypes, placement, out mapped);
        heapSize = index < 0 ? 0 : (long)memoryHeaps[memoryTypes[index].HeapIndex].Size;
        return index;
    }

    // objects are created and disposed from several threads (a batch stream renders the next batch on a worker)
    internal void Track(DeviceObject o) { lock (live) live.Add(o); }
    internal void Untrack(DeviceObject o) { lock (live) live.Remove(o); }
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        var idle = DestroyCore();
        if (idle < 0) throw VkCheck.Error(idle, "vkDeviceWaitIdle");   // after teardown, so nothing leaks
    }

    /// <summary>Reverse creation order: children, device, messenger, instance.</summary>
    /// <returns>The result of waiting for the device to go idle first (teardown continues regardless).</returns>
    private Vk.Result DestroyCore()
    {
        var idle = Handle.Handle != 0 ? Api.DeviceWaitIdle(Handle) : Vk.Result.Success;
        while (true)   // each Dispose untracks itself (and what it owns)
        {
            DeviceObject last;
            lock (live) { if (live.Count == 0) break; last = live[^1]; }
            last.Dispose();
        }
        externalMemoryFd = null;
        if (Handle.Handle != 0) Api.DestroyDevice(Handle, null);
        Handle = default;
        messenger?.Dispose();
        instance.Dispose();
        return idle;
    }

    private static GpuInfo Describe(Vk.PhysicalDevice device, int index)
    {
        Vk.PhysicalDeviceProperties p;
        Api.GetPhysicalDeviceProperties(device, &p);
        Vk.PhysicalDeviceMemoryProperties m;
        Api.GetPhysicalDeviceMemoryProperties(device, &m);
        long localBytes = 0;
        for (var h = 0; h < m.MemoryHeapCount; h++)
            if (m.MemoryHeaps[h].Flags.HasFlag(Vk.MemoryHeapFlags.DeviceLocalBit))
                localBytes = Math.Max(localBytes, (long)m.MemoryHeaps[h].Size);
        return new GpuInfo
        {
            Index = index,
            Name = SilkMarshal.PtrToString((nint)p.DeviceName) ?? "",
            Type = (GpuType)p.DeviceType,
            ApiVersion = VulkanInstance.VersionText(p.ApiVersion),
            VendorId = p.VendorID,
            DeviceId = p.DeviceID,
            HasComputeQueue = ComputeQueueFamily(device) >= 0,
            MaxStorageBufferRange = p.Limits.MaxStorageBufferRange,
            StorageBufferOffsetAlignment = (long)p.Limits.MinStorageBufferOffsetAlignment,
            MaxPushConstantsSize = (int)p.Limits.MaxPushConstantsSize,
            MaxWorkGroupCountX = p.Limits.MaxComputeWorkGroupCount[0],
            MaxWorkGroupSizeX = (int)p.Limits.MaxComputeWorkGroupSize[0],
            DeviceLocalBytes = localBytes,
        };
    }

    /// <summary>The first queue family with compute; -1 when none.</summary>
    private static int ComputeQueueFamily(Vk.PhysicalDevice device)
    {
        uint count;
        Api.GetPhysicalDeviceQueueFamilyProperties(device, &count, null);
        var families = new Vk.QueueFamilyProperties[count];
        fixed (Vk.QueueFamilyProperties* f = families) Api.GetPhysicalDeviceQueueFamilyProperties(device, &count, f);
        for (var i = 0; i < count; i++)
            if (families[i].QueueFlags.HasFlag(Vk.QueueFlags.ComputeBit)) return i;
        return -1;
    }

    private static HashSet<string> DeviceExtensions(Vk.PhysicalDevice device)
    {
        uint count;
        Api.EnumerateDeviceExtensionProperties(device, (byte*)null, &count, null).Check();
        var props = new Vk.ExtensionProperties[count];
        fixed (Vk.ExtensionProperties* p = props) Api.EnumerateDeviceExtensionProperties(device, (byte*)null, &count, p).Check();
        var names = new HashSet<string>();
        for (var i = 0; i < count; i++)
            fixed (byte* n = props[i].ExtensionName) names.Add(SilkMarshal.PtrToString((nint)n) ?? "");
        return names;
    }

    private static Vk.Device CreateLogicalDevice(Vk.PhysicalDevice physical, uint family, string[] extensionNames)
    {
        var priority = 1f;
        var queueInfo = new Vk.DeviceQueueCreateInfo(queueFamilyIndex: family, queueCount: 1, pQueuePriorities: &priority);
        var names = (byte**)SilkMarshal.StringArrayToPtr(extensionNames);
        try
        {
            var info = new Vk.DeviceCreateInfo(
                queueCreateInfoCount: 1, pQueueCreateInfos: &queueInfo,
                enabledExtensionCount: (uint)extensionNames.Length, ppEnabledExtensionNames: names);
            Vk.Device device;
            Api.CreateDevice(physical, &info, null, &device).Check();
            return device;
        }
        finally { SilkMarshal.Free((nint)names); }
    }
}
