using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Parameters;

/// <summary>
/// A model's parameters: one flat device buffer of values and one flat buffer of gradients sharing the
/// named <see cref="ParameterLayout"/> (llm.c's single malloc). Each parameter is handed out as a non-owning
/// <see cref="Tensor"/> view whose <c>Grad</c> is the matching view of the gradient buffer, so backward
/// accumulates straight into the flat gradient buffer and an optimizer step is one loop over it. The store owns
/// both buffers (the ownership note on <see cref="Tape"/>). A frozen store (<see cref="Mirror"/>: an EMA teacher)
/// has values only: nothing records gradients for it and no optimizer takes it.
/// </summary>
public sealed class ParameterStore : IDisposable
{
    readonly Tensor[] views;
    readonly Tensor? grads;
    Tensor? decayMask;

    public Device Device { get; }
    public ParameterLayout Layout { get; }
    /// <summary>What the store holds, for messages ("encoder", "predictor", "teacher").</summary>
    public string Name { get; }
    /// <summary>False for a frozen store (no gradient buffer).</summary>
    public bool Trainable { get; }
    /// <summary>All parameter values, (Length).</summary>
    public Tensor Values { get; }
    /// <summary>All gradients, (Length), same layout as <see cref="Values"/>.</summary>
    public Tensor Grads => grads ?? throw new InvalidOperationException($"parameter store '{Name}' is frozen: it has no gradients");

    public ParameterStore(Device device, ParameterLayout layout, string name = "parameters", bool trainable = true)
    {
        Device = device;
        Layout = layout;
        Name = name;
        Trainable = trainable;
        Values = Tensor.EmptyUnscoped(device, checked((int)layout.Length));
        Values.Fill(0f);
        if (trainable)
        {
            grads = Tensor.EmptyUnscoped(device, checked((int)layout.Length));
            grads.Fill(0f);
        }
        views = new Tensor[layout.Entries.Count];
        for (int i = 0; i < views.Length; i++)
        {
            var e = layout.Entries[i];
            var value = Values.SubTensor(e.Offset, e.Shape);
            value.Name = e.Name;
            if (trainable)
            {
                value.RequiresGrad = true;
                value.Grad = grads!.SubTensor(e.Offset, e.Shape);
            }
            views[i] = value;
        }
    }

    /// <summary>A store initialised by each spec's <see cref="Initializer"/> from one seeded stream (declaration order).</summary>
    public static ParameterStore Create(Device device, IEnumerable<ParameterSpec> specs, ulong seed, string name = "parameters")
    {
        var store = new ParameterStore(device, new ParameterLayout(specs), name);
        store.Initialize(seed);
        return store;
    }

    /// <summary>
    /// A frozen copy of <paramref name="source"/> on the same layout object, element for element (the EMA teacher
    /// of an encoder): its values are a second contiguous buffer an EMA update walks in one loop beside the source's.
    /// </summary>
    public static ParameterStore Mirror(ParameterStore source, string name = "teacher")
    {
        var mirror = new ParameterStore(source.Device, source.Layout, name, trainable: false);
        mirror.Values.CopyFrom(source.Values);
        return mirror;
    }

    /// <summary>The parameter declared by <paramref name="spec"/> (a module's typed field): a leaf that requires grad in a trainable store.</summary>
    public Tensor this[ParameterSpec spec] => views[Layout.IndexOf(spec)];

    /// <summary>The parameter named <paramref name="name"/> (tools and tests; modules use their specs).</summary>
    public Tensor this[string name] => views[Layout.IndexOf(name)];

    /// <summary>Re-draws every parameter from its initialiser with <paramref name="seed"/>.</summary>
    public void Initialize(ulong seed)
    {
        var random = new InitRandom(seed);
        var host = new float[Layout.Length];
        foreach (var e in Layout.Entries) e.Init.Fill(host.AsSpan((int)e.Offset, (int)e.Length), e.Shape, random);
        Values.CopyFrom(host);
    }

    /// <summary>All values as one host array in layout order.</summary>
    public float[] ToArray() => Values.ToArray();

    /// <summary>One parameter's values copied to the host.</summary>
    public float[] Get(string name) => this[name].ToArray();

    /// <summary>Overwrites one parameter (length must match its shape).</summary>
    public void Set(string name, ReadOnlySpan<float> values)
    {
        var e = Layout[name];
        if (values.Length != e.Length)
            throw new ArgumentException($"parameter '{name}' {e.ShapeText} holds {e.Length} values, got {values.Length}");
        this[name].CopyFrom(values);
    }

    /// <summary>Gradient of one parameter copied to the host.</summary>
    public float[] GetGrad(string name) => (this[name].Grad ?? Grads).ToArray();

    /// <summary>A zeroed buffer with this layout's length that the caller owns (optimizer state: moments, momentum).</summary>
    public Tensor NewStateBuffer()
    {
        var t = Tensor.EmptyUnscoped(Device, checked((int)Layout.Length));
        t.Fill(0f);
        return t;
    }

    /// <summary>1 where weight decay applies, else 0, (Length) uint8: the optimizer kernels' per-element flag (made on first use).</summary>
    public Tensor DecayMask
    {
        get
        {
            if (decayMask is not null) return decayMask;
            var mask = new byte[Layout.Length];
            foreach (var run in Layout.Runs)
                if (run.Decay) mask.AsSpan((int)run.Offset, (int)run.Length).Fill(1);
            var t = Tensor.EmptyUnscoped(Device, DType.UInt8, mask.Length);
            t.CopyFrom(mask);
            return decayMask = t;
        }
    }

    /// <summary>Zeroes the whole gradient buffer (one fill).</summary>
    public void ZeroGrad() => Grads.Fill(0f);

    public override string ToString() => $"parameter store '{Name}' ({Layout.Entries.Count} tensors, {Layout.Length} values)";

    public void Dispose()
    {
        decayMask?.Dispose();
        grads?.Dispose();
        Values.Dispose();
    }
}
