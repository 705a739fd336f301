using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using WeJepa.Native.Cuda;

namespace WeJepa.Bridge;

/// <summary>
/// Vulkan memory imported into CUDA (VK_KHR_external_memory_fd → cuImportExternalMemory →
/// cuExternalMemoryGetMappedBuffer), presented to ILGPU as one of its own buffers: a <see cref="MemoryBuffer"/>
/// subclass whose <see cref="MemoryBuffer.NativePtr"/> is the mapped device pointer. Copies and fills use
/// ILGPU's CUDA helpers, so every ILGPU view operation works on it. Disposing frees the mapping and the
/// import, never the Vulkan memory (the <see cref="SharedBuffer"/> that made it disposes that afterwards).
/// </summary>
public sealed class CudaExternalBuffer : MemoryBuffer
{
    private readonly nint _external;
    private readonly ulong _pointer;

    private CudaExternalBuffer(CudaAccelerator accelerator, long bytes, nint external, ulong pointer) : base(accelerator, bytes, 1)
    {
        (_external, _pointer) = (external, pointer);
        NativePtr = (nint)pointer;
    }

    /// <summary>
    /// Imports per <paramref name="plan"/>. CUDA takes the fd on success; on failure it is closed here, so the
    /// caller never closes it.
    /// </summary>
    public static CudaExternalBuffer Import(CudaAccelerator accelerator, CudaImportPlan plan)
    {
        using var bound = accelerator.BindScoped();
        int result = CudaDriver.cuImportExternalMemory(out var external, plan.Memory);
        if (result != 0)
        {
            Posix.close(plan.Memory.Fd);
            CudaDriver.Check(result, "cuImportExternalMemory");
        }
        result = CudaDriver.cuExternalMemoryGetMappedBuffer(out var pointer, external, plan.Buffer);
        if (result != 0)
        {
            CudaDriver.cuDestroyExternalMemory(external);
            CudaDriver.Check(result, "cuExternalMemoryGetMappedBuffer");
        }
        return new CudaExternalBuffer(accelerator, (long)plan.Buffer.Size, external, pointer);
    }

    protected override void MemSet(AcceleratorStream stream, byte value, in ArrayView<byte> targetView) =>
        CudaMemoryBuffer.CudaMemSet((CudaStream)stream, value, targetView);

    protected override void CopyFrom(AcceleratorStream stream, in ArrayView<byte> sourceView, in ArrayView<byte> targetView) =>
        CudaMemoryBuffer.CudaCopy((CudaStream)stream, sourceView, targetView);

    protected override void CopyTo(AcceleratorStream stream, in ArrayView<byte> sourceView, in ArrayView<byte> targetView) =>
        CudaMemoryBuffer.CudaCopy((CudaStream)stream, sourceView, targetView);

    protected override void DisposeAcceleratorObject(bool disposing)
    {
        using var bound = Accelerator.BindScoped();
        CudaDriver.Check(CudaDriver.cuMemFree(_pointer), "cuMemFree (external mapping)");
        CudaDriver.Check(CudaDriver.cuDestroyExternalMemory(_external), "cuDestroyExternalMemory");
        NativePtr = 0;
    }
}
