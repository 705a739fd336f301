using WeJepa.Native.Vulkan;
using static WeJepa.Native.Vulkan.VkAccessFlags;
using static WeJepa.Native.Vulkan.VkPipelineStageFlags;

namespace WeJepa.Vulkan;

/// <summary>
/// A primary <c>VkCommandBuffer</c> on the compute queue, with its own <see cref="Fence"/>. Record with
/// <see cref="Begin"/> … <see cref="End"/>, then <see cref="Submit"/> (returns at once) and
/// <see cref="Wait"/>, or <see cref="SubmitAndWait"/>. A recorded buffer can be submitted again
/// (benchmarks replay the same work). <see cref="End"/> adds a barrier that makes every shader and
/// transfer write visible to the host, so mapped memory is readable once <see cref="Wait"/> returns.
/// </summary>
public sealed unsafe class CommandBuffer : DeviceObject
{
    private enum State { Initial, Recording, Executable, Pending }

    private readonly Fence fence;
    private VkCommandBuffer handle;
    private State state;

    internal CommandBuffer(VulkanDevice device) : base(device)
    {
        var info = new VkCommandBufferAllocateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
            commandPool = device.CommandPool,
            level = VkCommandBufferLevel.VK_COMMAND_BUFFER_LEVEL_PRIMARY,
            commandBufferCount = 1,
        };
        VkCommandBuffer buffer;
        Vk.vkAllocateCommandBuffers(device.Handle, &info, &buffer).Check();
        handle = buffer;
        try { fence = new Fence(device, signaled: false); }
        catch
        {
            Vk.vkFreeCommandBuffers(device.Handle, device.CommandPool, 1, &buffer);
            throw;
        }
        Register();
    }

    /// <summary>Starts recording (waiting first if a previous submit is still running).</summary>
    public void Begin()
    {
        ThrowIfDisposed();
        if (state == State.Pending) Wait();
        if (state != State.Initial) Vk.vkResetCommandBuffer(handle, 0).Check();
        var info = new VkCommandBufferBeginInfo { sType = VkStructureType.VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO };
        Vk.vkBeginCommandBuffer(handle, &info).Check();
        state = State.Recording;
    }

    public void End()
    {
        RequireRecording();
        var barrier = MemoryBarrier(VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_HOST_READ_BIT);
        Vk.vkCmdPipelineBarrier(handle, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT,
            0, 1, &barrier, 0, null, 0, null);
        Vk.vkEndCommandBuffer(handle).Check();
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
        Vk.vkCmdBindPipeline(handle, VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.Handle);
        var descriptor = set.Handle;
        Vk.vkCmdBindDescriptorSets(handle, VkPipelineBindPoint.VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.LayoutHandle, 0, 1, &descriptor, 0, null);
        if (pushConstants.Length > 0)
            fixed (byte* p = pushConstants)
                Vk.vkCmdPushConstants(handle, pipeline.LayoutHandle, VkShaderStageFlags.VK_SHADER_STAGE_COMPUTE_BIT, 0, (uint)pushConstants.Length, p);
        Vk.vkCmdDispatch(handle, groupsX, groupsY, groupsZ);
    }

    /// <summary>Makes earlier shader/transfer writes visible to later shader/transfer reads and writes.</summary>
    public void Barrier()
    {
        RequireRecording();
        const uint stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
        var barrier = MemoryBarrier(VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT,
            VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT);
        Vk.vkCmdPipelineBarrier(handle, stages, stages, 0, 1, &barrier, 0, null, 0, null);
    }

    public void CopyBuffer(DeviceBuffer source, long sourceOffset, DeviceBuffer destination, long destinationOffset, long bytes)
    {
        RequireRecording();
        if (sourceOffset < 0 || destinationOffset < 0 || bytes <= 0 ||
            sourceOffset + bytes > source.SizeBytes || destinationOffset + bytes > destination.SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(bytes),
                $"copy of {bytes} bytes from offset {sourceOffset} of {source.SizeBytes} to offset {destinationOffset} of {destination.SizeBytes}");
        var region = new VkBufferCopy { srcOffset = (ulong)sourceOffset, dstOffset = (ulong)destinationOffset, size = (ulong)bytes };
        Vk.vkCmdCopyBuffer(handle, source.Handle, destination.Handle, 1, &region);
    }

    /// <summary>Fills [offset, offset + bytes) with a 32-bit pattern; both must be multiples of 4.</summary>
    public void FillBuffer(DeviceBuffer destination, long offset, long bytes, uint pattern)
    {
        RequireRecording();
        if (offset < 0 || bytes <= 0 || offset % 4 != 0 || bytes % 4 != 0 || offset + bytes > destination.SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(bytes), $"fill of {bytes} bytes at offset {offset} of a {destination.SizeBytes}-byte buffer");
        Vk.vkCmdFillBuffer(handle, destination.Handle, (ulong)offset, (ulong)bytes, pattern);
    }

    /// <summary>Submits the recorded commands to the compute queue; returns without waiting.</summary>
    public void Submit()
    {
        ThrowIfDisposed();
        if (state == State.Pending) Wait();
        if (state != State.Executable) throw new InvalidOperationException("submit of a command buffer that was not recorded (Begin … End)");
        var buffer = handle;
        var info = new VkSubmitInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_SUBMIT_INFO,
            commandBufferCount = 1,
            pCommandBuffers = &buffer,
        };
        Vk.vkQueueSubmit(Device.Queue, 1, &info, fence.Handle).Check();
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

    private static VkMemoryBarrier MemoryBarrier(uint source, uint destination) => new()
    {
        sType = VkStructureType.VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        srcAccessMask = source,
        dstAccessMask = destination,
    };

    private protected override void Destroy()
    {
        if (state == State.Pending) fence.Wait();
        var buffer = handle;
        Vk.vkFreeCommandBuffers(Device.Handle, Device.CommandPool, 1, &buffer);
        handle = default;
        fence.Dispose();
    }
}
