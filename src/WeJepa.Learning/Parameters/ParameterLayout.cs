namespace WeJepa.Learning.Parameters;

/// <summary>One named tensor of a model: its PyTorch <c>state_dict</c> name, shape, initialiser, and whether
/// the optimizer's weight decay applies to it.</summary>
public sealed record ParameterSpec(string Name, int[] Shape, Initializer Init, bool Decay)
{
    /// <summary>The default decay rule (I-JEPA's and the issue's): matrices and kernels decay; biases,
    /// norm weights and other vectors do not.</summary>
    public static bool DefaultDecay(string name, int[] shape) => shape.Length >= 2 && !name.EndsWith("bias", StringComparison.Ordinal);

    /// <summary>A spec whose decay follows <see cref="DefaultDecay"/>.</summary>
    public static ParameterSpec Of(string name, int[] shape, Initializer init) => new(name, shape, init, DefaultDecay(name, shape));
}

/// <summary>Where one parameter lives in the flat buffer: elements [Offset, Offset + Length).</summary>
public sealed record ParameterEntry(string Name, int[] Shape, long Offset, long Length, bool Decay, Initializer Init)
{
    public string ShapeText => $"({string.Join(", ", Shape)})";
}

/// <summary>
/// The named layout of a model's flat parameter buffer (and of its gradient buffer, which shares it).
/// Decayed parameters are packed first, so weight decay applies to the prefix [0, <see cref="DecayedLength"/>)
/// and an optimizer step stays one loop over the whole buffer. <see cref="Entries"/> keep the declaration
/// (PyTorch <c>state_dict</c>) order, which is also the order weights files are written in.
/// </summary>
public sealed class ParameterLayout
{
    readonly Dictionary<string, ParameterEntry> byName;

    public IReadOnlyList<ParameterEntry> Entries { get; }
    /// <summary>Total number of float32 elements.</summary>
    public long Length { get; }
    /// <summary>Number of leading elements that receive weight decay.</summary>
    public long DecayedLength { get; }

    public ParameterLayout(IEnumerable<ParameterSpec> specs)
    {
        var list = specs.ToList();
        byName = new Dictionary<string, ParameterEntry>(StringComparer.Ordinal);
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        long offset = 0;
        // Two passes: decayed specs first, then the rest, each in declaration order.
        foreach (var decayed in new[] { true, false })
            foreach (var spec in list.Where(s => s.Decay == decayed))
            {
                if (spec.Shape.Length == 0 || spec.Shape.Any(d => d <= 0))
                    throw new ArgumentException($"parameter '{spec.Name}': shape ({string.Join(", ", spec.Shape)}) must have positive dimensions");
                if (!offsets.TryAdd(spec.Name, offset))
                    throw new ArgumentException($"parameter '{spec.Name}' declared twice");
                offset += ElementCount(spec.Shape);
                if (decayed) DecayedLength = offset;
            }
        Length = offset;
        Entries = list.Select(s => new ParameterEntry(s.Name, (int[])s.Shape.Clone(), offsets[s.Name], ElementCount(s.Shape), s.Decay, s.Init)).ToList();
        foreach (var e in Entries) byName[e.Name] = e;
    }

    /// <summary>True when both layouts hold the same names, shapes and offsets (e.g. an EMA teacher and its student).</summary>
    public bool SameShapeAs(ParameterLayout other) =>
        Length == other.Length && Entries.Count == other.Entries.Count &&
        Entries.Zip(other.Entries).All(p => p.First.Name == p.Second.Name && p.First.Offset == p.Second.Offset && p.First.Shape.SequenceEqual(p.Second.Shape));

    public bool Contains(string name) => byName.ContainsKey(name);

    public ParameterEntry this[string name] => byName.TryGetValue(name, out var e)
        ? e
        : throw new KeyNotFoundException($"no parameter named '{name}' (have: {string.Join(", ", Entries.Select(x => x.Name))})");

    public static long ElementCount(int[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }
}
