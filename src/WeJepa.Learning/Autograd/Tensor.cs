using ILGPU;
using ILGPU.Runtime;
using Device = WeJepa.Learning.Devices.Device;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>
/// A tensor: a shape and an element type (<see cref="DType"/>) over a contiguous range of device memory. An owning
/// tensor returns its buffer to the device pool on <see cref="Dispose"/>; a view (<see cref="SubTensor"/>,
/// <see cref="Detach"/>, reshape) shares its owner's memory and version counter and frees nothing. Who disposes an
/// owner is the ownership note on <see cref="Tape"/>: a tensor made inside a step is the step's.
/// </summary>
public sealed class Tensor : IDisposable
{
    readonly Storage storage;
    readonly long offset; // in elements of DType
    readonly bool owner;

    public Device Device { get; }
    public DType DType { get; }
    public int[] Shape { get; }
    public int Rank => Shape.Length;
    public int Length { get; }

    /// <summary>Optional name (parameters: their PyTorch name) used in error messages.</summary>
    public string? Name { get; set; }

    /// <summary>The tape node that produced this tensor; null for leaves.</summary>
    public Node? GradFn { get; internal set; }
    public bool IsLeaf => GradFn is null;

    bool requiresGrad;
    /// <summary>Leaves may be marked as requiring a gradient (float32 only); op outputs require one when any input does.</summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (!IsLeaf && !value) throw new InvalidOperationException("RequiresGrad can only be cleared on a leaf tensor: use Detach()");
            if (value && DType != DType.Float32)
                throw new InvalidOperationException($"{this}: only float32 tensors can require a gradient, this one is {DType.Name()}");
            requiresGrad = value;
        }
    }

    /// <summary>
    /// Accumulated gradient of a leaf after <see cref="Autograd.Backward"/>: a view of its store's gradient buffer
    /// for a parameter (the store owns it), else a tensor of the step that ran Backward (reset to null when that
    /// step ends). Backward adds into a pre-assigned Grad in place.
    /// </summary>
    public Tensor? Grad { get; set; }

    /// <summary>Bumped by every in-place write to this memory (shared with views of it).</summary>
    public int Version => storage.Version;

    /// <summary>The device memory of a float32 tensor: exactly <see cref="Length"/> contiguous floats.</summary>
    public ArrayView<float> View => Elements<float>(DType.Float32);

    /// <summary>The device memory of an int32 tensor.</summary>
    public ArrayView<int> Int32View => Elements<int>(DType.Int32);

    /// <summary>The device memory of a uint8 tensor.</summary>
    public ArrayView<byte> UInt8View => Elements<byte>(DType.UInt8);

    ArrayView<T> Elements<T>(DType expected) where T : unmanaged
    {
        if (DType != expected)
            throw new InvalidOperationException($"{this}: is {DType.Name()}, used where {expected.Name()} is required");
        return storage.Bytes.Cast<T>().SubView(offset, Length);
    }

    Tensor(Device device, Storage storage, long offset, int[] shape, bool owner, DType dtype)
    {
        Device = device;
        this.storage = storage;
        this.offset = offset;
        this.owner = owner;
        DType = dtype;
        Shape = shape;
        Length = Shapes.Product(shape);
        foreach (var d in shape)
            if (d < 0) throw new ShapeError($"tensor: negative dimension in shape {Shapes.Format(shape)}");
    }

    // ------------------------------------------------------------ creation

    /// <summary>An uninitialised float32 tensor from the device pool, owned by the running step if any (else by the caller).</summary>
    public static Tensor Empty(Device device, params int[] shape) => Empty(device, DType.Float32, shape);

    /// <summary>An uninitialised tensor of <paramref name="dtype"/>, owned by the running step if any (else by the caller).</summary>
    public static Tensor Empty(Device device, DType dtype, params int[] shape)
    {
        var t = EmptyUnscoped(device, dtype, shape);
        device.Steps.Current?.Owned.Add(t);
        return t;
    }

    /// <summary>Like <see cref="Empty(Device, int[])"/> but never owned by a step: the caller disposes it (op temporaries, optimizer state).</summary>
    public static Tensor EmptyUnscoped(Device device, params int[] shape) => EmptyUnscoped(device, DType.Float32, shape);

    public static Tensor EmptyUnscoped(Device device, DType dtype, params int[] shape)
    {
        var copy = (int[])shape.Clone();
        var t = new Tensor(device, new Storage(device, (long)Shapes.Product(copy) * dtype.Size()), 0, copy, owner: true, dtype);
        if (device.FillNewBuffersWith is { } value) t.FillSentinel(value);
        return t;
    }

    public static Tensor Zeros(Device device, params int[] shape) => Full(device, 0f, shape);

    public static Tensor Full(Device device, float value, params int[] shape)
    {
        var t = Empty(device, shape);
        t.Fill(value);
        return t;
    }

    /// <summary>A scalar (rank-0) tensor.</summary>
    public static Tensor Scalar(Device device, float value) => Full(device, value);

    public static Tensor FromArray(Device device, float[] data, params int[] shape) => FromArray<float>(device, DType.Float32, data, shape);

    /// <summary>An int32 tensor (indices, masks, labels).</summary>
    public static Tensor FromArray(Device device, int[] data, params int[] shape) => FromArray<int>(device, DType.Int32, data, shape);

    /// <summary>A uint8 tensor (frames).</summary>
    public static Tensor FromArray(Device device, byte[] data, params int[] shape) => FromArray<byte>(device, DType.UInt8, data, shape);

    static Tensor FromArray<T>(Device device, DType dtype, T[] data, int[] shape) where T : unmanaged
    {
        if (Shapes.Product(shape) != data.Length)
            throw new ShapeError($"FromArray: {data.Length} values do not fill shape {Shapes.Format(shape)}");
        var t = Empty(device, dtype, shape);
        t.Upload<T>(data);
        return t;
    }

    /// <summary>Wraps foreign device memory (e.g. a mapped simulator buffer) without copying or owning it.</summary>
    public static Tensor Wrap(Device device, ArrayView<float> memory, params int[] shape) => Wrap(device, DType.Float32, memory.Cast<byte>(), shape);

    /// <summary>Wraps foreign uint8 memory (rendered frames) without copying or owning it.</summary>
    public static Tensor Wrap(Device device, ArrayView<byte> memory, params int[] shape) => Wrap(device, DType.UInt8, memory, shape);

    static Tensor Wrap(Device device, DType dtype, ArrayView<byte> bytes, int[] shape)
    {
        if ((long)Shapes.Product(shape) * dtype.Size() != bytes.Length)
            throw new ShapeError($"Wrap: a view of {bytes.Length / dtype.Size()} {dtype.Name()} values does not match shape {Shapes.Format(shape)}");
        return new Tensor(device, new Storage(device, bytes), 0, (int[])shape.Clone(), owner: false, dtype);
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
        return new Tensor(Device, storage, offset + elementOffset, (int[])shape.Clone(), owner: false, DType);
    }

    /// <summary>The same memory with a new shape and no autograd history (use Ops.Reshape to keep history).</summary>
    internal Tensor ViewAs(int[] shape) => new(Device, storage, offset, shape, owner: false, DType);

    /// <summary>Shares this memory but is cut from the tape: no gradient flows through it.</summary>
    public Tensor Detach() => new(Device, storage, offset, Shape, owner: false, DType);

    /// <summary>True when both tensors are views of one memory (a step keeps the owner when asked to keep a view).</summary>
    internal bool SharesMemoryWith(Tensor other) => ReferenceEquals(storage, other.storage);

    // ------------------------------------------------------------ host transfer and in-place writes

    /// <summary>Host memory of this float32 tensor (CPU accelerator only; waits for pending kernels first).</summary>
    public Span<float> HostSpan
    {
        get
        {
            Device.SyncBeforeHostAccess();
            return Device.HostSpan(View);
        }
    }

    public float[] ToArray() => Download<float>(View);

    public int[] ToInt32Array() => Download<int>(Int32View);

    public byte[] ToUInt8Array() => Download<byte>(UInt8View);

    T[] Download<T>(ArrayView<T> view) where T : unmanaged
    {
        var result = new T[Length];
        if (Length == 0) return result;
        Device.SyncBeforeHostAccess();
        if (Device.IsCpu) Device.HostSpan(view).CopyTo(result);
        else
        {
            view.CopyToCPU(Device.Stream, result);
            Device.Synchronize();
        }
        return result;
    }

    void Upload<T>(ReadOnlySpan<T> data) where T : unmanaged
    {
        if (data.Length == 0) return;
        var view = storage.Bytes.Cast<T>().SubView(offset, Length);
        if (Device.IsCpu)
        {
            Device.SyncBeforeHostAccess();
            data.CopyTo(Device.HostSpan(view));
        }
        else view.CopyFromCPU(Device.Stream, data.ToArray());
        MarkModified();
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
        _ = View; // float32 only
        Upload(data);
    }

    public void CopyFrom(ReadOnlySpan<int> data)
    {
        if (data.Length != Length) throw new ShapeError($"CopyFrom: {data.Length} values for a tensor of {Length} elements");
        _ = Int32View; // int32 only
        Upload(data);
    }

    public void CopyFrom(ReadOnlySpan<byte> data)
    {
        if (data.Length != Length) throw new ShapeError($"CopyFrom: {data.Length} values for a tensor of {Length} elements");
        _ = UInt8View; // uint8 only
        Upload(data);
    }

    public void CopyFrom(Tensor source)
    {
        if (source.Length != Length || source.DType != DType)
            throw new ShapeError($"CopyFrom: {source.DType.Name()} {Shapes.Format(source.Shape)} does not fit {DType.Name()} {Shapes.Format(Shape)}");
        if (Device.IsCpu) source.HostBytes().CopyTo(HostBytes());
        else ByteRange().CopyFrom(Device.Stream, source.ByteRange());
        MarkModified();
    }

    ArrayView<byte> ByteRange() => storage.Bytes.SubView(offset * DType.Size(), (long)Length * DType.Size());

    Span<byte> HostBytes()
    {
        Device.SyncBeforeHostAccess();
        return Device.HostSpan(ByteRange());
    }

    public void Fill(float value)
    {
        if (Device.UseHostLoops) HostSpan.Fill(value);
        else Device.Launch(DeviceKernels.Fill, Length, Length, value, View);
        MarkModified();
    }

    /// <summary>Fills a new buffer with the test sentinel: the value itself for float32, int.MinValue for int32, 0xCD for uint8.</summary>
    void FillSentinel(float value)
    {
        switch (DType)
        {
            case DType.Float32: Fill(value); break;
            case DType.Int32:
                if (Device.UseHostLoops) Device.HostSpan(Int32View).Fill(int.MinValue);
                else Device.Launch(DeviceKernels.FillInt32, Length, Length, int.MinValue, Int32View);
                break;
            default:
                if (Device.UseHostLoops) HostBytes().Fill(0xCD);
                else Device.Launch(DeviceKernels.FillUInt8, Length, Length, (byte)0xCD, UInt8View);
                break;
        }
    }

    public override string ToString() =>
        $"Tensor{(Name is null ? "" : " " + Name)} {Shapes.Format(Shape)}{(DType == DType.Float32 ? "" : " " + DType.Name())}{(GradFn is null ? "" : " (" + GradFn.Op + ")")}";

    public void Dispose()
    {
        if (owner) storage.Release();
    }
}
