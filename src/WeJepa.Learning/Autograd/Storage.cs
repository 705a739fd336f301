using ILGPU;
using ILGPU.Runtime;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning;

/// <summary>
/// The memory behind one or more tensors (an owner and its views), as bytes viewed at the tensors' element type.
/// Carries the version counter every in-place write bumps, so the tape can tell when a tensor saved for backward
/// was overwritten, and the stream its work is queued on, so the pool can reuse it in stream order.
/// </summary>
sealed class Storage
{
    readonly Device device;
    readonly MemoryBuffer1D<byte, Stride1D.Dense>? pooled;
    ArrayView<byte> memory;
    public int Version;
    public bool Released { get; private set; }

    /// <summary>The stream that reads and writes this memory (the device's stream: every op queues there).</summary>
    public AcceleratorStream Stream { get; }

    /// <summary>A pooled buffer of <paramref name="bytes"/> bytes owned by this storage.</summary>
    public Storage(Device device, long bytes)
    {
        this.device = device;
        Stream = device.Stream;
        pooled = device.Rent(bytes, Stream);
        memory = pooled.View.SubView(0, bytes);
    }

    /// <summary>Foreign memory (e.g. a mapped simulator buffer): never pooled, never freed here.</summary>
    public Storage(Device device, ArrayView<byte> foreign)
    {
        this.device = device;
        Stream = device.Stream;
        memory = foreign;
    }

    public ArrayView<byte> Bytes => Released
        ? throw new ObjectDisposedException(nameof(Tensor), "the tensor's memory was released (its owner was disposed or its step ended)")
        : memory;

    public void Release()
    {
        if (Released) return;
        Released = true;
        if (pooled is not null) device.Return(pooled, Stream);
        memory = default;
    }
}
