namespace WeJepa.Vulkan;

/// <summary>
/// A compute pipeline (<c>VkPipeline</c>) with its layouts: set 0 holds <see cref="StorageBuffers"/>
/// storage buffers at bindings 0..n-1, plus one push-constant block of <see cref="PushConstantBytes"/>.
/// Specialisation constants <c>constant_id = 0, 1, …</c> are fixed at creation (e.g. workgroup size).
/// </summary>
public sealed unsafe class ComputePipeline : DeviceObject
{
    private readonly DescriptorSetLayout setLayout;
    private readonly PipelineLayout layout;
    internal Vk.Pipeline Handle { get; private set; }
    internal Vk.PipelineLayout LayoutHandle => layout.Handle;
    internal DescriptorSetLayout SetLayout => setLayout;

    public string Name { get; }
    public int StorageBuffers { get; }
    public int PushConstantBytes { get; }

    internal ComputePipeline(VulkanDevice device, string name, ReadOnlySpan<uint> spirv, int storageBuffers, int pushConstantBytes,
        ReadOnlySpan<uint> specialization) : base(device)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(storageBuffers);
        if (pushConstantBytes < 0 || pushConstantBytes % 4 != 0 || pushConstantBytes > device.Info.MaxPushConstantsSize)
            throw new ArgumentOutOfRangeException(nameof(pushConstantBytes),
                $"{name}: push constants of {pushConstantBytes} bytes; need a multiple of 4 up to {device.Info.MaxPushConstantsSize}");
        Name = name;
        StorageBuffers = storageBuffers;
        PushConstantBytes = pushConstantBytes;

        setLayout = new DescriptorSetLayout(device, storageBuffers);
        ShaderModule? module = null;
        try
        {
            layout = new PipelineLayout(device, setLayout, pushConstantBytes);
            module = new ShaderModule(device, spirv);
            Handle = CreatePipeline(device, module, layout, specialization);
        }
        catch
        {
            module?.Dispose();
            layout?.Dispose();
            setLayout.Dispose();
            throw;
        }
        module.Dispose();   // the pipeline keeps what it needs
        Register();
    }

    private static Vk.Pipeline CreatePipeline(VulkanDevice device, ShaderModule module, PipelineLayout layout, ReadOnlySpan<uint> specialization)
    {
        var entries = stackalloc Vk.SpecializationMapEntry[Math.Max(1, specialization.Length)];
        for (var i = 0; i < specialization.Length; i++)
            entries[i] = new Vk.SpecializationMapEntry(constantID: (uint)i, offset: (uint)(4 * i), size: 4);
        var entryPoint = "main\0"u8;
        fixed (uint* values = specialization)
        fixed (byte* main = entryPoint)
        {
            var spec = new Vk.SpecializationInfo(
                mapEntryCount: (uint)specialization.Length, pMapEntries: entries,
                dataSize: (nuint)(4 * specialization.Length), pData: values);
            var stage = new Vk.PipelineShaderStageCreateInfo(
                stage: Vk.ShaderStageFlags.ComputeBit, module: module.Handle, pName: main,
                pSpecializationInfo: specialization.Length > 0 ? &spec : null);
            var info = new Vk.ComputePipelineCreateInfo(stage: stage, layout: layout.Handle, basePipelineIndex: -1);
            Vk.Pipeline pipeline;
            Api.CreateComputePipelines(device.Handle, default, 1, &info, null, &pipeline).Check();
            return pipeline;
        }
    }

    /// <summary>Binds buffers (or slices of them) to bindings 0..n-1 of a new descriptor set.</summary>
    /// <exception cref="ArgumentException">Wrong count, a slice outside its buffer, misaligned, or over maxStorageBufferRange.</exception>
    public DescriptorSet CreateDescriptorSet(params ReadOnlySpan<BufferBinding> buffers)
    {
        ThrowIfDisposed();
        return new DescriptorSet(this, buffers);
    }

    private protected override void Destroy()
    {
        Api.DestroyPipeline(Device.Handle, Handle, null);
        Handle = default;
        layout.Dispose();
        setLayout.Dispose();
    }
}
