using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using WeJepa.Learning;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge;

/// <summary>
/// One piece of memory that is both a Vulkan storage buffer (the simulator writes frames and states into
/// it) and learning-engine memory (tensors read it): no copy in either direction.
/// <list type="bullet">
/// <item>CPU engine (ILGPU CPU accelerator, Vulkan on lavapipe or an integrated GPU): the Vulkan memory is
/// host-mapped; <c>CPUMemoryBuffer.Create</c> wraps the mapped pointer, so a tensor's address is the Vulkan
/// mapping's address.</item>
/// <item>CUDA engine (NVIDIA Vulkan driver): the buffer is created exportable, its memory exported as an
/// opaque fd and imported into CUDA (<see cref="CudaExternalBuffer"/>); both APIs address the same VRAM.</item>
/// </list>
/// Lifetime: this object owns the Vulkan buffer and the engine's view of it, and disposes the view first;
/// tensors from <see cref="Float32"/> / <see cref="UInt8"/> and views from <see cref="EngineBytes"/> do not own memory and must not outlive it.
/// Ordering (there is no shared queue): the simulator's calls wait on their Vulkan fence before returning
/// (<see cref="CommandBuffer.SubmitAndWait"/>), so engine work launched afterwards sees the frames; before the
/// simulator writes the buffer again, call <see cref="ReleaseToSimulator"/> (it synchronises the engine's
/// stream) so no kernel still reads the previous contents. A fence wait per hand-over costs one host round
/// trip per batch; exported Vulkan semaphores (VK_KHR_external_semaphore_fd + cuImportExternalSemaphore)
/// would remove it on CUDA and are the next step when that round trip shows in a profile.
/// </summary>
public sealed class SharedBuffer : IDisposable
{
    private readonly MemoryBuffer _engineMemory;
    private bool _disposed;

    /// <summary>The Vulkan side: bind it to shaders (render output, physics states).</summary>
    public DeviceBuffer Vulkan { get; }

    /// <summary>The learning engine this memory belongs to.</summary>
    public Device Engine { get; }

    public long SizeBytes => Vulkan.SizeBytes;

    /// <summary>The engine's address of byte 0: on the CPU path equal to <see cref="DeviceBuffer.MappedPointer"/>.</summary>
    public nint EnginePointer => _engineMemory.NativePtr;

    private SharedBuffer(DeviceBuffer vulkan, Device engine, MemoryBuffer engineMemory) =>
        (Vulkan, Engine, _engineMemory) = (vulkan, engine, engineMemory);

    /// <summary>
    /// A new Vulkan buffer of <paramref name="sizeBytes"/> on <paramref name="vulkan"/>, shared with <paramref name="engine"/>.
    /// The CUDA path needs <see cref="VulkanOptions.ExternalMemoryFd"/> among the device's enabled extensions.
    /// </summary>
    public static SharedBuffer Create(VulkanDevice vulkan, Device engine, long sizeBytes)
    {
        if (engine.IsCpu) return CreateMapped(vulkan, engine, sizeBytes);
        if (engine.IsCuda) return CreateImported(vulkan, engine, sizeBytes);
        throw new NotSupportedException($"shared memory: engine device {engine} is neither the CPU nor CUDA");
    }

    private static SharedBuffer CreateMapped(VulkanDevice vulkan, Device engine, long sizeBytes)
    {
        var buffer = vulkan.CreateBuffer(sizeBytes, MemoryPlacement.HostVisible);
        try
        {
            if (!buffer.IsMapped)
                throw new InvalidOperationException($"shared memory: {vulkan.Info.Name} gave unmapped memory; the CPU engine needs host-mapped Vulkan memory");
            var view = CPUMemoryBuffer.Create(engine.Accelerator, buffer.MappedPointer, sizeBytes, 1);
            return new SharedBuffer(buffer, engine, view);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static SharedBuffer CreateImported(VulkanDevice vulkan, Device engine, long sizeBytes)
    {
        var buffer = vulkan.CreateBuffer(sizeBytes, MemoryPlacement.DeviceLocal, exportable: true);
        try
        {
            var plan = CudaImportPlan.For(buffer.ExportMemoryFd(), buffer.AllocationBytes, 0, sizeBytes);
            var view = CudaExternalBuffer.Import((CudaAccelerator)engine.Accelerator, plan);
            return new SharedBuffer(buffer, engine, view);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Bytes [byteOffset, byteOffset + bytes) as the engine sees them (no copy).</summary>
    public ArrayView<byte> EngineBytes(long byteOffset, long bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (byteOffset < 0 || bytes < 0 || byteOffset + bytes > SizeBytes)
            throw new ArgumentOutOfRangeException(nameof(byteOffset), $"shared memory: bytes [{byteOffset}, {byteOffset + bytes}) are outside the buffer of {SizeBytes} bytes");
        return _engineMemory.AsRawArrayView(byteOffset, bytes);
    }

    /// <summary>A float32 tensor of <paramref name="shape"/> over the bytes at <paramref name="byteOffset"/> (4-aligned); it owns nothing.</summary>
    public Tensor Float32(long byteOffset, params int[] shape)
    {
        if (byteOffset % 4 != 0) throw new ArgumentException($"shared memory: float32 tensor at byte {byteOffset}, not a multiple of 4");
        long count = 1;
        foreach (var d in shape) count *= d;
        return Tensor.Wrap(Engine, EngineBytes(byteOffset, 4 * count).Cast<float>(), shape);
    }

    /// <summary>A uint8 tensor of <paramref name="shape"/> over the bytes at <paramref name="byteOffset"/> (rendered uint8 frames); it owns nothing.</summary>
    public Tensor UInt8(long byteOffset, params int[] shape)
    {
        long count = 1;
        foreach (var d in shape) count *= d;
        return Tensor.Wrap(Engine, EngineBytes(byteOffset, count), shape);
    }

    /// <summary>Waits for the engine's pending work, so the simulator may overwrite this memory.</summary>
    public void ReleaseToSimulator() => Engine.Synchronize();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _engineMemory.Dispose();
        Vulkan.Dispose();
    }
}
