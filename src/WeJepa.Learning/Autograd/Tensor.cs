using ILGPU;
using ILGPU.Runtime;
using Device = WeJepa.Learning.Devices.Device;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>
/// A float32 tensor: a shape over a contiguous range of device memory. An owning tensor returns its
/// buffer to the device pool on <see cref="Dispose"/>; a view (<see cref="SubTensor"/>, <see cref="Detach"/>,
/// reshape) shares its owner's memory and version counter and frees nothing. Tensors created inside a
/// <see cref="TensorScope"/> are disposed with it.
/// </summary>
public sealed class Tensor : IDisposable
{
    readonly Storage storage;
    readonly long offset;
    readonly bool owner;
    bool ownsGrad;

    public Device Device { get; }
    public int[] Shape { get; }
    public int Rank => Shape.Length;
    public int Length { get; }

    /// <summary>Optional name (parameters: their PyTorch name) used in error messages.</summary>
    public string? Name { get; set; }

    /// <summary>The tape node that produced this tensor; null for leaves.</summary>
    public Node? GradFn { get; internal set; }
    public bool IsLeaf => GradFn is null;

    bool requiresGrad;
    /// <summary>Leaves may be marked as requiring a gradient; op outputs require one when any input does.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (!IsLeaf && !value) throw new InvalidOperationException("RequiresGrad can only be cleared on a leaf tensor: use Detach()");
            requiresGrad = value;
        }
    }

    /// <summary>
    /// Accumulated gradient of a leaf after <see cref="Autograd.Backward"/>. May be pre-assigned (e.g. a
    /// view of a model's flat gradient buffer): backward then adds into it in place.
    /// </summary>
    public Tensor? Grad { get; set; }

    /// <summary>Bumped by every in-place write to this memory (shared with views of it).</summary>
    public int Version => storage.Version;

    /// <summary>The device memory: exactly <see cref="Length"/> contiguous floats.</summary>
    public ArrayView<float> View => storage.Memory.SubView(offset, Length);

    Tensor(Device device, Storage storage, long offset, int[] shape, bool owner)
    {
        Device = device;
        this.storage = storage;
        this.offset = offset;
        this.owner = owner;
        Shape = shape;
        Length = Shapes.Product(shape);
        foreach (var d in shape)
            if (d < 0) throw new ShapeError($"tensor: negative dimension in shape {Shapes.Format(shape)}");
    }

    // ------------------------------------------------------------ creation

    /// <summary>An uninitialised tensor from the device pool (registered with the current <see cref="TensorScope"/>).</summary>
    public static Tensor Empty(Device device, params int[] shape)
    {
        var t = new Tensor(device, new Storage(device, Shapes.Product(shape)), 0, (int[])shape.Clone(), owner: true);
        TensorScope.Register(t);
        return t;
    }

    /// <summary>Like <see cref="Empty"/> but never registered with a scope: the caller owns it.</summary>
    public static Tensor EmptyUnscoped(Device device, params int[] shape)
        => new(device, new Storage(device, Shapes.Product(shape)), 0, (int[])shape.Clone(), owner: true);

    public static Tensor Zeros(Device device, params int[] shape) => Full(device, 0f, shape);

    public static Tensor Full(Device device, float value, params int[] shape)
    {
        var t = Empty(device, shape);
        t.Fill(value);
        return t;
    }

    /// <summary>A scalar (rank-0) tensor.</summary>
    public static Tensor Scalar(Device device, float value) => Full(device, value);

    public static Tensor FromArray(Device device, float[] data, params int[] shape)
    {
        if (Shapes.Product(shape) != data.Length)
            throw new ShapeError($"FromArray: {data.Length} values do not fill shape {Shapes.Format(shape)}");
        var t = Empty(device, shape);
        t.CopyFrom(data);
        return t;
    }

    /// <summary>Wraps foreign device memory (e.g. a mapped simulator buffer) without copying or owning it.</summary>
    public static Tensor Wrap(Device device, ArrayView<float> memory, params int[] shape)
    {
        if (Shapes.Product(shape) != memory.Length)
            throw new ShapeError($"Wrap: a view of {memory.Length} floats does not match shape {Shapes.Format(shape)}");
        return new Tensor(device, new Storage(device, memory), 0, (int[])shape.Clone(), owner: false);
    }

    // ------------------------------------------------------------ views

    /// <summary>
    /// A non-owning view of elements [offset, offset + prod(shape)) of this tensor, sharing its memory and
    /// version counter (e.g. a parameter inside a model's flat buffer). Not recorded on the tape.
    /// </summary>
    public Tensor SubTensor(long elementOffset, params int[] shape)
    {
        long n = Shapes.Product(shape);
        if (elementOffset < 0 || elementOffset + n > Length)
            throw new ShapeError($"SubTensor: [{elementOffset}, {elementOffset + n}) is outside a tensor of {Length} elements (shape {Shapes.Format(Shape)})");
        return new Tensor(Device, storage, offset + elementOffset, (int[])shape.Clone(), owner: false);
    }

    /// <summary>The same memory with a new shape and no autograd history (use Ops.Reshape to keep history).</summary>
    internal Tensor ViewAs(int[] shape) => new(Device, storage, offset, shape, owner: false);

    /// <summary>Shares this memory but is cut from the tape: no gradient flows through it.</summary>
    public Tensor Detach() => new(Device, storage, offset, Shape, owner: false);

    // ------------------------------------------------------------ host transfer and in-place writes

    /// <summary>Host memory of this tensor (CPU accelerator only; waits for pending kernels first).</summary>
    public Span<float> HostSpan
    {
        get
        {
            Device.SyncBeforeHostAccess();
            return Device.HostSpan(View);
        }
    }

    public float[] ToArray()
    {
        var result = new float[Length];
        Device.Transfers.AddDeviceToHost(4L * Length);
        if (Device.IsCpu) HostSpan.CopyTo(result);
        else View.CopyToCPU(Device.Accelerator.DefaultStream, result);
        return result;
    }

    /// <summary>The value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) throw new ShapeError($"Item: tensor of shape {Shapes.Format(Shape)} has {Length} elements, not 1");
        return ToArray()[0];
    }

    /// <summary>Records an in-place write (bumps <see cref="Version"/>); call after writing into <see cref="View"/> directly.</summary>
    public void MarkModified() => storage.Version++;

    public void CopyFrom(ReadOnlySpan<float> data)
    {
        if (data.Length != Length) throw new ShapeError($"CopyFrom: {data.Length} values for a tensor of {Length} elements");
        Device.Transfers.AddHostToDevice(4L * Length);
        if (Device.IsCpu) data.CopyTo(HostSpan);
        else View.CopyFromCPU(Device.Accelerator.DefaultStream, data.ToArray());
        MarkModified();
    }

    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length)
            throw new ShapeError($"CopyFrom: shapes {Shapes.Format(source.Shape)} and {Shapes.Format(Shape)} differ in length");
        if (Device.IsCpu) source.HostSpan.CopyTo(HostSpan);
        else View.CopyFrom(Device.Accelerator.DefaultStream, source.View);
        MarkModified();
    }

    public void Fill(float value)
    {
        if (Device.UseHostLoops) HostSpan.Fill(value);
        else Device.Launch(DeviceKernels.Fill, Length, Length, value, View);
        MarkModified();
    }

    /// <summary>Autograd assigns a gradient it allocated itself; it is disposed with this tensor.</summary>
    internal void AdoptGrad(Tensor grad)
    {
        Grad = grad;
        ownsGrad = true;
    }

    public override string ToString() => $"Tensor{(Name is null ? "" : " " + Name)} {Shapes.Format(Shape)}{(GradFn is null ? "" : " (" + GradFn.Op + ")")}";

    public void Dispose()
    {
        if (ownsGrad) Grad?.Dispose();
        if (owner) storage.Release();
    }
}
