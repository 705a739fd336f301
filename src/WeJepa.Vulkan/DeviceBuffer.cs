using System.Runtime.CompilerServices;

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
    internal Vk.Buffer Handle { get; private set; }

    public long SizeBytes { get; }
    public MemoryPlacement Placement { get; }
    /// <summary>Whether the memory is mapped into this process (host transfers are plain memory copies).</summary>
    public bool IsMapped => memory.Mapped != null;
    /// <summary>Host address of the buffer's first byte when <see cref="IsMapped"/>, else 0. See the remarks on sharing.</summary>
    public nint MappedPointer => (nint)memory.Mapped;

    internal DeviceBuffer(VulkanDevice device, long sizeBytes, MemoryPlacement placement, bool exportable) : base(device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        SizeBytes = sizeBytes;
        Placement = placement;
        var external = new Vk.ExternalMemoryBufferCreateInfo(handleTypes: Vk.ExternalMemoryHandleTypeFlags.OpaqueFDBit);
        var info = new Vk.BufferCreateInfo(
            pNext: exportable ? &external : null,
            size: (ulong)sizeBytes,
            usage: Vk.BufferUsageFlags.StorageBufferBit | Vk.BufferUsageFlags.TransferSrcBit | Vk.BufferUsageFlags.TransferDstBit,
            sharingMode: Vk.SharingMode.Exclusive);
        Vk.Buffer buffer;
        var result = Api.CreateBuffer(device.Handle, &info, null, &buffer);
        if (result is Vk.Result.ErrorOutOfDeviceMemory or Vk.Result.ErrorOutOfHostMemory)
            throw DeviceMemory.TooBig(device, sizeBytes, device.Info.DeviceLocalBytes, result, "vkCreateBuffer");
        result.Check("vkCreateBuffer");
        Handle = buffer;
        try
        {
            Vk.MemoryRequirements requirements;
            Api.GetBufferMemoryRequirements(device.Handle, buffer, &requirements);
            memory = new DeviceMemory(device, requirements, placement, sizeBytes, exportable);
            Api.BindBufferMemory(device.Handle, buffer, memory.Handle, 0).Check();
        }
        catch
        {
            memory?.Dispose();
            Api.DestroyBuffer(device.Handle, buffer, null);
            Handle = default;
            throw;
        }
        Register();
    }

    /// <summary>Bytes of the memory allocation behind the buffer (at least <see cref="SizeBytes"/>): what an importer of <see cref="ExportMemoryFd"/> maps.</summary>
    public long AllocationBytes => memory.SizeBytes;

    /// <summary>Whether the buffer was created exportable (<see cref="VulkanDevice.CreateBuffer"/>).</summary>
    public bool IsExportable => memory.Exportable;

    /// <summary>
    /// A new POSIX file descriptor for the buffer's memory (VK_KHR_external_memory_fd, opaque fd), for
    /// another API to import, e.g. CUDA's <c>cudaImportExternalMemory</c> with size <see cref="AllocationBytes"/>.
    /// The caller owns it: a successful import takes ownership, otherwise close it. Each call makes a new one.
    /// </summary>
    public int ExportMemoryFd()
    {
        ThrowIfDisposed();
        return memory.ExportFd();
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
        Api.DestroyBuffer(Device.Handle, Handle, null);
        Handle = default;
        memory.Dispose();
    }
}
