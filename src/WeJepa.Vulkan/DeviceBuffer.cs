using System.Runtime.CompilerServices;
using WeJepa.Native.Vulkan;
using static WeJepa.Native.Vulkan.VkBufferUsageFlags;

namespace WeJepa.Vulkan;

/// <summary>
/// A storage buffer that owns its device memory. Data stays on the device: shaders read and write it
/// through <see cref="DescriptorSet"/> bindings, and moving bytes to or from the host is an explicit,
/// rare operation (<see cref="Upload{T}"/>, <see cref="ReadToHost{T}(Span{T}, long)"/>).
/// </summary>
/// <remarks>
/// Zero-copy sharing: when <see cref="IsMapped"/> (lavapipe, integrated GPUs) the memory is ordinary
/// process memory at <see cref="MappedPointer"/>. The learning engine can wrap that pointer as an ILGPU
/// CPU-accelerator view (<c>CPUMemoryBuffer.Create(accelerator, ptr, length, elementSize)</c>) with no
/// copy; the view must not outlive this buffer, and the host may only touch it after the command buffer
/// that wrote it has completed (<see cref="CommandBuffer.Wait"/>). On discrete GPUs the memory is
/// device-local and unmapped; sharing it with CUDA goes through external memory (a later extension).
/// </remarks>
public sealed unsafe class DeviceBuffer : DeviceObject
{
    /// <summary>Staging transfers move at most this many bytes per submit.</summary>
    private const long StagingChunkBytes = 64L << 20;

    private readonly DeviceMemory memory;
    internal VkBuffer Handle { get; private set; }

    public long SizeBytes { get; }
    public MemoryPlacement Placement { get; }
    /// <summary>Whether the memory is mapped into this process (host transfers are plain memory copies).</summary>
    public bool IsMapped => memory.Mapped != null;
    /// <summary>Host address of the buffer's first byte when <see cref="IsMapped"/>, else 0. See the remarks on sharing.</summary>
    public nint MappedPointer => (nint)memory.Mapped;

    internal DeviceBuffer(VulkanDevice device, long sizeBytes, MemoryPlacement placement) : base(device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        SizeBytes = sizeBytes;
        Placement = placement;
        var info = new VkBufferCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
            size = (ulong)sizeBytes,
            usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
            sharingMode = VkSharingMode.VK_SHARING_MODE_EXCLUSIVE,
        };
        VkBuffer buffer;
        var result = Vk.vkCreateBuffer(device.Handle, &info, null, &buffer);
        if (result is VkResult.VK_ERROR_OUT_OF_DEVICE_MEMORY or VkResult.VK_ERROR_OUT_OF_HOST_MEMORY)
            throw DeviceMemory.TooBig(device, sizeBytes, device.Info.DeviceLocalBytes, result, "vkCreateBuffer");
        result.Check("vkCreateBuffer");
        Handle = buffer;
        try
        {
            VkMemoryRequirements requirements;
            Vk.vkGetBufferMemoryRequirements(device.Handle, buffer, &requirements);
            memory = new DeviceMemory(device, requirements, placement, sizeBytes);
            Vk.vkBindBufferMemory(device.Handle, buffer, memory.Handle, 0).Check();
        }
        catch
        {
            memory?.Dispose();
            Vk.vkDestroyBuffer(device.Handle, buffer, null);
            Handle = default;
            throw;
        }
        Register();
    }

    /// <summary>Copies host data into the buffer at <paramref name="byteOffset"/> (memcpy when mapped, staged otherwise).</summary>
    public void Upload<T>(ReadOnlySpan<T> source, long byteOffset = 0) where T : unmanaged
    {
        var bytes = (long)source.Length * sizeof(T);
        CheckRange(byteOffset, bytes);
        fixed (T* src = source)
        {
            if (IsMapped)
            {
                Buffer.MemoryCopy(src, (byte*)memory.Mapped + byteOffset, bytes, bytes);
                return;
            }
            using var staging = Device.CreateBuffer(Math.Min(bytes, StagingChunkBytes), MemoryPlacement.HostVisible);
            for (long done = 0; done < bytes; done += StagingChunkBytes)
            {
                var n = Math.Min(StagingChunkBytes, bytes - done);
                Buffer.MemoryCopy((byte*)src + done, (void*)staging.MappedPointer, n, n);
                Device.Submit(c => c.CopyBuffer(staging, 0, this, byteOffset + done, n));
            }
        }
    }

    /// <summary>
    /// Explicit host read: copies <c>destination.Length</c> elements from <paramref name="byteOffset"/>.
    /// Only call it after the commands writing the buffer completed.
    /// </summary>
    public void ReadToHost<T>(Span<T> destination, long byteOffset = 0) where T : unmanaged
    {
        var bytes = (long)destination.Length * sizeof(T);
        CheckRange(byteOffset, bytes);
        fixed (T* dst = destination)
        {
            if (IsMapped)
            {
                Buffer.MemoryCopy((byte*)memory.Mapped + byteOffset, dst, bytes, bytes);
                return;
            }
            using var staging = Device.CreateBuffer(Math.Min(bytes, StagingChunkBytes), MemoryPlacement.HostVisible);
            for (long done = 0; done < bytes; done += StagingChunkBytes)
            {
                var n = Math.Min(StagingChunkBytes, bytes - done);
                Device.Submit(c => c.CopyBuffer(this, byteOffset + done, staging, 0, n));
                Buffer.MemoryCopy((void*)staging.MappedPointer, (byte*)dst + done, n, n);
            }
        }
    }

    /// <summary>Explicit host read of <paramref name="count"/> elements into a new array.</summary>
    public T[] ReadToHost<T>(int count, long byteOffset = 0) where T : unmanaged
    {
        var result = new T[count];
        ReadToHost<T>(result, byteOffset);
        return result;
    }

    /// <summary>Fills the whole buffer with a repeated 32-bit pattern, e.g. NaN (0x7FC00000) to catch unwritten outputs.</summary>
    public void FillBits(uint pattern) => Device.Submit(c => c.FillBuffer(this, 0, SizeBytes & ~3L, pattern));

    /// <summary>Fills the whole buffer with a float value (tests pre-fill outputs with NaN).</summary>
    public void Fill(float value) => FillBits(Unsafe.BitCast<float, uint>(value));

    private void CheckRange(long byteOffset, long bytes)
    {
        ThrowIfDisposed();
        if (byteOffset < 0 || bytes < 0 || byteOffset + bytes > SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(byteOffset),
                $"bytes [{byteOffset}, {byteOffset + bytes}) are outside the buffer of {SizeBytes} bytes");
    }

    private protected override void Destroy()
    {
        Vk.vkDestroyBuffer(Device.Handle, Handle, null);
        Handle = default;
        memory.Dispose();
    }
}
