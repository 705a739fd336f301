using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Parameters;

/// <summary>
/// A model's parameters: one flat device buffer of values and one flat buffer of gradients sharing the
/// named <see cref="ParameterLayout"/> (llm.c's single malloc). Each parameter is handed out as a non-owning
/// <see cref="Tensor"/> view whose <c>Grad</c> is the matching view of the gradient buffer, so backward
/// accumulates straight into the flat gradient buffer and an optimizer step is one loop over it.
/// </summary>
public sealed class ParameterStore : IDisposable
{
    readonly Dictionary<string, Tensor> views = new(StringComparer.Ordinal);

    public Device Device { get; }
    public ParameterLayout Layout { get; }
    /// <summary>All parameter values, (Length).</summary>
    public Tensor Values { get; }
    /// <summary>All gradients, (Length), same layout as <see cref="Values"/>.</summary>
    public Tensor Grads { get; }

    public ParameterStore(Device device, ParameterLayout layout)
    {
        Device = device;
        Layout = layout;
        Values = Tensor.EmptyUnscoped(device, checked((int)layout.Length));
        Grads = Tensor.EmptyUnscoped(device, checked((int)layout.Length));
        Values.Fill(0f);
        Grads.Fill(0f);
        foreach (var e in layout.Entries)
        {
            var value = Values.SubTensor(e.Offset, e.Shape);
            value.Name = e.Name;
            value.RequiresGrad = true;
            value.Grad = Grads.SubTensor(e.Offset, e.Shape);
            views[e.Name] = value;
        }
    }

    /// <summary>A store initialised by each spec's <see cref="Initializer"/> from one seeded stream (declaration order).</summary>
    public static ParameterStore Create(Device device, IEnumerable<ParameterSpec> specs, ulong seed)
    {
        var store = new ParameterStore(device, new ParameterLayout(specs));
        store.Initialize(seed);
        return store;
    }

    /// <summary>The parameter named <paramref name="name"/> (a leaf that requires grad).</summary>
    public Tensor this[string name] => views.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException(
        $"no parameter named '{name}' (have: {string.Join(", ", Layout.Entries.Select(e => e.Name))})");

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
    public float[] GetGrad(string name) => this[name].Grad!.ToArray();

    /// <summary>A zeroed buffer with this layout's length that the caller owns (optimizer state: moments, momentum).</summary>
    public Tensor NewStateBuffer()
    {
        var t = Tensor.EmptyUnscoped(Device, checked((int)Layout.Length));
        t.Fill(0f);
        return t;
    }

    /// <summary>Zeroes the whole gradient buffer (one fill).</summary>
    public void ZeroGrad() => Grads.Fill(0f);

    public void Dispose()
    {
        foreach (var v in views.Values)
        {
            v.Grad?.Dispose();
            v.Dispose();
        }
        Grads.Dispose();
        Values.Dispose();
    }
}
