using ILGPU;
using ILGPU.Runtime;
using Device = WeJepa.Learning.Devices.Device;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>
/// The memory behind one or more tensors (an owner and its views). Carries the version counter every
/// in-place write bumps, so the tape can tell when a tensor saved for backward was overwritten.
/// </summary>
sealed class Storage
{
    readonly Device device;
    readonly MemoryBuffer1D<float, Stride1D.Dense>? pooled;
    ArrayView<float> memory;
    public int Version;
    public bool Released { get; private set; }

    /// <summary>A pooled buffer of <paramref name="length"/> floats owned by this storage.</summary>
    public Storage(Device device, long length)
    {
        this.device = device;
        pooled = device.Rent(length);
        memory = pooled.View.SubView(0, length);
    }

    /// <summary>Foreign memory (e.g. a mapped simulator buffer): never freed here.</summary>
    public Storage(Device device, ArrayView<float> foreign)
    {
        this.device = device;
        memory = foreign;
    }

    public ArrayView<float> Memory => Released
        ? throw new ObjectDisposedException(nameof(Tensor), "the tensor's memory was released (its owner or TensorScope was disposed)")
        : memory;

    public void Release()
    {
        if (Released) return;
        Released = true;
        if (pooled is not null) device.Return(pooled);
        memory = default;
    }
}
