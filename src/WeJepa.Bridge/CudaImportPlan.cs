using WeJepa.Native.Cuda;

namespace WeJepa.Bridge;

/// <summary>
/// The host-side half of importing exported Vulkan memory into CUDA: which descriptors to pass to
/// <c>cuImportExternalMemory</c> (the whole allocation, as Vulkan reports it) and
/// <c>cuExternalMemoryGetMappedBuffer</c> (the buffer's bytes inside it), checked before any driver call.
/// </summary>
public readonly record struct CudaImportPlan(ExternalMemoryHandleDesc Memory, ExternalMemoryBufferDesc Buffer)
{
    /// <summary>
    /// Descriptors for <paramref name="sizeBytes"/> bytes at <paramref name="offsetBytes"/> of an allocation of
    /// <paramref name="allocationBytes"/> exported as the opaque fd <paramref name="fd"/>. Our buffers own their
    /// allocation (bound at offset 0) but are not Vulkan dedicated allocations, so the DEDICATED flag stays clear.
    /// </summary>
    public static CudaImportPlan For(int fd, long allocationBytes, long offsetBytes, long sizeBytes)
    {
        if (fd < 0) throw new ArgumentOutOfRangeException(nameof(fd), $"CUDA import: {fd} is not a file descriptor");
        if (sizeBytes < 1 || offsetBytes < 0 || offsetBytes + sizeBytes > allocationBytes)
            throw new ArgumentOutOfRangeException(nameof(sizeBytes),
                $"CUDA import: bytes [{offsetBytes}, {offsetBytes + sizeBytes}) are not inside the allocation of {allocationBytes} bytes");
        return new CudaImportPlan(
            new ExternalMemoryHandleDesc { Type = CudaDriver.ExternalMemoryHandleTypeOpaqueFd, Fd = fd, Size = (ulong)allocationBytes, Flags = 0 },
            new ExternalMemoryBufferDesc { Offset = (ulong)offsetBytes, Size = (ulong)sizeBytes, Flags = 0 });
    }
}
