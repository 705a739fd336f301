namespace WeJepa.Vulkan;

/// <summary>A buffer, or the slice [Offset, Offset + Size) of it, bound to one storage-buffer binding.</summary>
public readonly record struct BufferBinding(DeviceBuffer Buffer, long Offset, long Size)
{
    /// <summary>The whole buffer.</summary>
    public BufferBinding(DeviceBuffer buffer) : this(buffer, 0, buffer.SizeBytes) { }

    public static implicit operator BufferBinding(DeviceBuffer buffer) => new(buffer);

    /// <summary>
    /// The binding that covers bytes [offset, offset + size) of <paramref name="buffer"/>, its start
    /// moved down to the device's offset alignment. <paramref name="slackBytes"/> is where the wanted
    /// bytes begin inside the binding: pass it to the shader as an element offset.
    /// </summary>
    public static BufferBinding Window(DeviceBuffer buffer, long offset, long size, out long slackBytes)
    {
        var alignment = buffer.Device.StorageBufferOffsetAlignment;
        var start = offset / alignment * alignment;
        slackBytes = offset - start;
        return new BufferBinding(buffer, start, slackBytes + size);
    }
}

/// <summary>
/// <c>VkDescriptorSet</c> bound to buffers for one <see cref="ComputePipeline"/>. Each set has its own
/// small <c>VkDescriptorPool</c>, so disposing the set frees exactly its pool.
/// </summary>
public sealed unsafe class DescriptorSet : DeviceObject
{
    private Vk.DescriptorPool pool;
    internal Vk.DescriptorSet Handle { get; private set; }
    public ComputePipeline Pipeline { get; }

    internal DescriptorSet(ComputePipeline pipeline, ReadOnlySpan<BufferBinding> buffers) : base(pipeline.Device)
    {
        Pipeline = pipeline;
        Validate(pipeline, buffers);
        var device = pipeline.Device;
        var n = (uint)buffers.Length;

        var size = new Vk.DescriptorPoolSize(Vk.DescriptorType.StorageBuffer, Math.Max(1, n));
        var poolInfo = new Vk.DescriptorPoolCreateInfo(maxSets: 1, poolSizeCount: 1, pPoolSizes: &size);
        Vk.DescriptorPool p;
        Api.CreateDescriptorPool(device.Handle, &poolInfo, null, &p).Check();
        pool = p;
        try
        {
            var layout = pipeline.SetLayout.Handle;
            var allocate = new Vk.DescriptorSetAllocateInfo(descriptorPool: pool, descriptorSetCount: 1, pSetLayouts: &layout);
            Vk.DescriptorSet set;
            Api.AllocateDescriptorSets(device.Handle, &allocate, &set).Check();
            Handle = set;

            var infos = stackalloc Vk.DescriptorBufferInfo[Math.Max(1, buffers.Length)];
            var writes = stackalloc Vk.WriteDescriptorSet[Math.Max(1, buffers.Length)];
            for (var i = 0; i < buffers.Length; i++)
            {
                infos[i] = new Vk.DescriptorBufferInfo(buffers[i].Buffer.Handle, (ulong)buffers[i].Offset, (ulong)buffers[i].Size);
                writes[i] = new Vk.WriteDescriptorSet(
                    dstSet: set, dstBinding: (uint)i, descriptorCount: 1,
                    descriptorType: Vk.DescriptorType.StorageBuffer, pBufferInfo: &infos[i]);
            }
            Api.UpdateDescriptorSets(device.Handle, n, writes, 0, null);
        }
        catch
        {
            Api.DestroyDescriptorPool(device.Handle, pool, null);
            pool = default;
            throw;
        }
        Register();
    }

    private static void Validate(ComputePipeline pipeline, ReadOnlySpan<BufferBinding> buffers)
    {
        if (buffers.Length != pipeline.StorageBuffers)
            throw new ArgumentException($"{pipeline.Name}: {buffers.Length} buffers given for {pipeline.StorageBuffers} bindings");
        var info = pipeline.Device.Info;
        for (var i = 0; i < buffers.Length; i++)
        {
            var (buffer, offset, size) = buffers[i];
            if (buffer is null || buffer.IsDisposed)
                throw new ArgumentException($"{pipeline.Name}: binding {i} has no live buffer");
            if (offset < 0 || size <= 0 || offset + size > buffer.SizeBytes)
                throw new ArgumentException($"{pipeline.Name}: binding {i} covers bytes [{offset}, {offset + size}) of a {buffer.SizeBytes}-byte buffer");
            if (offset % info.StorageBufferOffsetAlignment != 0)
                throw new ArgumentException($"{pipeline.Name}: binding {i} offset {offset} is not a multiple of minStorageBufferOffsetAlignment ({info.StorageBufferOffsetAlignment})");
            if (size > info.MaxStorageBufferRange)
                throw new ArgumentException(
                    $"{pipeline.Name}: binding {i} covers {DeviceMemory.Mib(size)}, but {info.Name} binds at most {DeviceMemory.Mib(info.MaxStorageBufferRange)} " +
                    "per storage buffer (maxStorageBufferRange): split the batch");
        }
    }

    private protected override void Destroy()
    {
        Api.DestroyDescriptorPool(Device.Handle, pool, null);   // frees the set with it
        pool = default;
        Handle = default;
    }
}
