using static Silk.NET.Vulkan.AccessFlags;
using static Silk.NET.Vulkan.PipelineStageFlags;

namespace WeJepa.Vulkan;

/// <summary>
/// A primary <c>VkCommandBuffer</c> on the compute queue, with its own <see cref="Fence"/>. Record with
/// <see cref="Begin"/> … <see cref="End"/>, then <see cref="Submit"/> (returns at once) and
/// <see cref="Wait"/>, or <see cref="SubmitAndWait"/>. A recorded buffer can be submitted again
/// (benchmarks replay the same work). <see cref="End"/> adds a barrier that makes every shader and
/// transfer write visible to the host, so mapped memory is readable once <see cref="Wait"/> returns.
/// Each command buffer owns its command pool: a pool is externally synchronised, so one pool shared by the
/// device would race as soon as two threads record (a batch stream's worker and its caller); one buffer is
/// used by one thread at a time, which is the caller's rule anyway.
/// </summary>
public sealed unsafe class CommandBuffer : DeviceObject
{
    private enum State { Initial, Recording, Executable, Pending }

    private readonly Fence fence;
    private Vk.CommandPool pool;
    private Vk.CommandBuffer handle;
    private State state;

    /// <summary>The handle, for recording commands this class has no method for (the presenter's image copies).</summary>
    internal Vk.CommandBuffer Handle => handle;

    internal CommandBuffer(VulkanDevice device) : base(device)
    {
        var poolInfo = new Vk.CommandPoolCreateInfo(flags: Vk.CommandPoolCreateFlags.ResetCommandBufferBit, queueFamilyIndex: device.QueueFamily);
        Vk.CommandPool commandPool;
        Api.CreateCommandPool(device.Handle, &poolInfo, null, &commandPool).Check();
        pool = commandPool;
        try
        {
            var info = new Vk.CommandBufferAllocateInfo(commandPool: pool, level: Vk.CommandBufferLevel.Primary, commandBufferCount: 1);
            Vk.CommandBuffer buffer;
            Api.AllocateCommandBuffers(device.Handle, &info, &buffer).Check();
            handle = buffer;
            fence = new Fence(device, signaled: false);
        }
        catch
        {
            Api.DestroyCommandPool(device.Handle, pool, null);   // frees the buffer too
            throw;
        }
        Register();
    }

    /// <summary>Starts recording (waiting first if a previous submit is still running).</summary>
    public void Begin()
    {
        ThrowIfDisposed();
        if (state == State.Pending) Wait();
        if (state != State.Initial) Api.ResetCommandBuffer(handle, 0).Check();
        // `new Vk.CommandBufferBeginInfo()` would be the parameterless struct constructor, SType 0: name an argument.
        var info = new Vk.CommandBufferBeginInfo(sType: Vk.StructureType.CommandBufferBeginInfo);
        Api.BeginCommandBuffer(handle, &info).Check();
        state = State.Recording;
    }

    public void End()
    {
        RequireRecording();
        var barrier = new Vk.MemoryBarrier(srcAccessMask: ShaderWriteBit | TransferWriteBit, dstAccessMask: HostReadBit);
        Api.CmdPipelineBarrier(handle, ComputeShaderBit | TransferBit, HostBit, 0, 1, &barrier, 0, null, 0, null);
        Api.EndCommandBuffer(handle).Check();
        state = State.Executable;
    }

    /// <summary>Records one dispatch with a push-constant block (a struct laid out like the shader's, std430).</summary>
    public void Dispatch<TPush>(ComputePipeline pipeline, DescriptorSet set, in TPush push, uint groupsX, uint groupsY = 1, uint groupsZ = 1)
        where TPush : unmanaged
    {
        fixed (TPush* p = &push)
            Dispatch(pipeline, set, new ReadOnlySpan<byte>(p, sizeof(TPush)), groupsX, groupsY, groupsZ);
    }

    /// <summary>Records one dispatch; <paramref name="pushConstants"/> is empty for a pipeline without them.</summary>
    public void Dispatch(ComputePipeline pipeline, DescriptorSet set, ReadOnlySpan<byte> pushConstants, uint groupsX, uint groupsY = 1, uint groupsZ = 1)
    {
        RequireRecording();
        if (set.Pipeline != pipeline)
            throw new ArgumentException($"{pipeline.Name}: the descriptor set was made for {set.Pipeline.Name}");
        if (pushConstants.Length != pipeline.PushConstantBytes)
            throw new ArgumentException($"{pipeline.Name}: {pushConstants.Length} bytes of push constants given, the pipeline declares {pipeline.PushConstantBytes}");
        var max = Device.Info.MaxWorkGroupCountX;
        if (groupsX == 0 || groupsX > max || groupsY == 0 || groupsZ == 0)
            throw new ArgumentOutOfRangeException(nameof(groupsX),
                $"{pipeline.Name}: dispatch of ({groupsX}, {groupsY}, {groupsZ}) workgroups; x must be in 1..{max} (maxComputeWorkGroupCount)");
        Api.CmdBindPipeline(handle, Vk.PipelineBindPoint.Compute, pipeline.Handle);
        var descriptor = set.Handle;
        Api.CmdBindDescriptorSets(handle, Vk.PipelineBindPoint.Compute, pipeline.LayoutHandle, 0, 1, &descriptor, 0, null);
        if (pushConstants.Length > 0)
            fixed (byte* p = pushConstants)
                Api.CmdPushConstants(handle, pipeline.LayoutHandle, Vk.ShaderStageFlags.ComputeBit, 0, (uint)pushConstants.Length, p);
        Api.CmdDispatch(handle, groupsX, groupsY, groupsZ);
    }

    /// <summary>Makes earlier shader/transfer writes visible to later shader/transfer reads and writes.</summary>
    public void Barrier()
    {
        RequireRecording();
        const Vk.PipelineStageFlags stages = ComputeShaderBit | TransferBit;
        var barrier = new Vk.MemoryBarrier(srcAccessMask: ShaderWriteBit | TransferWriteBit,
            dstAccessMask: ShaderReadBit | ShaderWriteBit | TransferReadBit | TransferWriteBit);
        Api.CmdPipelineBarrier(handle, stages, stages, 0, 1, &barrier, 0, null, 0, null);
    }

    public void CopyBuffer(DeviceBuffer source, long sourceOffset, DeviceBuffer destination, long destinationOffset, long bytes)
    {
        RequireRecording();
        if (sourceOffset < 0 || destinationOffset < 0 || bytes <= 0 ||
            sourceOffset + bytes > source.SizeBytes || destinationOffset + bytes > destination.SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(bytes),
                $"copy of {bytes} bytes from offset {sourceOffset} of {source.SizeBytes} to offset {destinationOffset} of {destination.SizeBytes}");
        var region = new Vk.BufferCopy(srcOffset: (ulong)sourceOffset, dstOffset: (ulong)destinationOffset, size: (ulong)bytes);
        Api.CmdCopyBuffer(handle, source.Handle, destination.Handle, 1, &region);
    }

    /// <summary>Fills [offset, offset + bytes) with a 32-bit pattern; both must be multiples of 4.</summary>
    public void FillBuffer(DeviceBuffer destination, long offset, long bytes, uint pattern)
    {
        RequireRecording();
        if (offset < 0 || bytes <= 0 || offset % 4 != 0 || bytes % 4 != 0 || offset + bytes > destination.SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(bytes), $"fill of {bytes} bytes at offset {offset} of a {destination.SizeBytes}-byte buffer");
        Api.CmdFillBuffer(handle, destination.Handle, (ulong)offset, (ulong)bytes, pattern);
    }

    /// <summary>Submits the recorded commands to the compute queue; returns without waiting.</summary>
    public void Submit()
    {
        ThrowIfDisposed();
        if (state == State.Pending) Wait();
        if (state != State.Executable) throw new InvalidOperationException("submit of a command buffer that was not recorded (Begin … End)");
        var buffer = handle;
        var info = new Vk.SubmitInfo(commandBufferCount: 1, pCommandBuffers: &buffer);
        lock (Device.QueueLock) Api.QueueSubmit(Device.Queue, 1, &info, fence.Handle).Check();
        state = State.Pending;
    }

    /// <summary>Waits for the last <see cref="Submit"/>; afterwards the buffer can be submitted again or re-recorded.</summary>
    public void Wait()
    {
        ThrowIfDisposed();
        if (state != State.Pending) return;
        fence.Wait();
        fence.Reset();
        state = State.Executable;
    }

    public void SubmitAndWait()
    {
        Submit();
        Wait();
    }

    private void RequireRecording()
    {
        ThrowIfDisposed();
        if (state != State.Recording) throw new InvalidOperationException("command recorded outside Begin … End");
    }

    private protected override void Destroy()
    {
        if (state == State.Pending) fence.Wait();
        Api.DestroyCommandPool(Device.Handle, pool, null);   // frees the buffer with it
        (pool, handle) = (default, default);
        fence.Dispose();
    }
}
