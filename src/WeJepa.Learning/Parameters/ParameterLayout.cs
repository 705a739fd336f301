namespace WeJepa.Learning.Parameters;

/// <summary>
/// One named tensor of a model: its PyTorch <c>state_dict</c> name, shape, initialiser, and whether the optimizer's
/// weight decay applies to it. Modules keep their specs in typed fields and index stores with them
/// (<c>store[W0]</c>), so a forward pass names no parameter by string.
/// </summary>
public sealed record ParameterSpec(string Name, int[] Shape, Initializer Init, bool Decay)
{
    /// <summary>The default decay rule (I-JEPA's): matrices and kernels decay; biases, norm weights and other
    /// vectors do not.</summary>
    public static bool DefaultDecay(string name, int[] shape) => shape.Length >= 2 && !name.EndsWith("bias", StringComparison.Ordinal);

    /// <summary>A spec whose decay follows <see cref="DefaultDecay"/>.</summary>
    public static ParameterSpec Of(string name, int[] shape, Initializer init) => new(name, shape, init, DefaultDecay(name, shape));
}

/// <summary>Where one parameter lives in the flat buffer: elements [Offset, Offset + Length).</summary>
public sealed record ParameterEntry(string Name, int[] Shape, long Offset, long Length, bool Decay, Initializer Init)
{
    public string ShapeText => $"({string.Join(", ", Shape)})";
}

/// <summary>A run of consecutive elements of a flat buffer that share their weight-decay flag.</summary>
public readonly record struct ParameterRun(long Offset, long Length, bool Decay);

/// <summary>
/// The named layout of a model's flat parameter buffer (and of its gradient buffer, which shares it): the
/// parameters back to back in declaration (PyTorch <c>state_dict</c>) order, which is also the order weights
/// files are written in. Weight decay is a per-parameter flag, summarised as <see cref="Runs"/>; two stores
/// built from one layout are element-for-element mirrors (an EMA teacher and its student).
/// </summary>
public sealed class ParameterLayout
{
    readonly Dictionary<string, int> byName = new(StringComparer.Ordinal);
    readonly Dictionary<ParameterSpec, int> bySpec = new(ReferenceEqualityComparer.Instance);

    public IReadOnlyList<ParameterEntry> Entries { get; }
    /// <summary>Total number of float32 elements.</summary>
    public long Length { get; }
    /// <summary>Maximal runs of equal decay flag covering [0, Length) in order (the optimizers' host loops).</summary>
    public IReadOnlyList<ParameterRun> Runs { get; }
    /// <summary>Number of elements that receive weight decay.</summary>
    public long DecayedLength { get; }

    public ParameterLayout(IEnumerable<ParameterSpec> specs)
    {
        var entries = new List<ParameterEntry>();
        var runs = new List<ParameterRun>();
        long offset = 0;
        foreach (var spec in specs)
        {
            if (spec.Shape.Length == 0 || spec.Shape.Any(d => d <= 0))
                throw new ArgumentException($"parameter '{spec.Name}': shape ({string.Join(", ", spec.Shape)}) must have positive dimensions");
            if (!byName.TryAdd(spec.Name, entries.Count))
                throw new ArgumentException($"parameter '{spec.Name}' declared twice");
            bySpec.TryAdd(spec, entries.Count);
            long n = ElementCount(spec.Shape);
            entries.Add(new ParameterEntry(spec.Name, (int[])spec.Shape.Clone(), offset, n, spec.Decay, spec.Init));
            if (runs.Count > 0 && runs[^1].Decay == spec.Decay) runs[^1] = runs[^1] with { Length = runs[^1].Length + n };
            else runs.Add(new ParameterRun(offset, n, spec.Decay));
            if (spec.Decay) DecayedLength += n;
            offset += n;
        }
        Entries = entries;
        Runs = runs;
        Length = offset;
    }

    /// <summary>True when both layouts hold the same names, shapes, offsets and decay flags (e.g. an EMA teacher and its student).</summary>
    public bool SameShapeAs(ParameterLayout other) =>
        ReferenceEquals(this, other) ||
        (Length == other.Length && Entries.Count == other.Entries.Count &&
         Entries.Zip(other.Entries).All(p => p.First.Name == p.Second.Name && p.First.Offset == p.Second.Offset &&
                                             p.First.Decay == p.Second.Decay && p.First.Shape.SequenceEqual(p.Second.Shape)));

    public bool Contains(string name) => byName.ContainsKey(name);

    public ParameterEntry this[string name] => Entries[IndexOf(name)];

    /// <summary>The entry index of the parameter named <paramref name="name"/>; an unknown name is an error listing the names.</summary>
    public int IndexOf(string name) => byName.TryGetValue(name, out var i)
        ? i
        : throw new KeyNotFoundException($"no parameter named '{name}' (have: {string.Join(", ", Entries.Select(x => x.Name))})");

    /// <summary>The entry index of a spec this layout was built from; any other spec (another module's) is an error naming it.</summary>
    public int IndexOf(ParameterSpec spec) => bySpec.TryGetValue(spec, out var i)
        ? i
        : throw new KeyNotFoundException(
            $"parameter '{spec.Name}' {Shapes.Format(spec.Shape)} was not declared in this layout (build the store from the module's Parameters; have: {string.Join(", ", Entries.Select(x => x.Name))})");

    public static long ElementCount(int[] shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return n;
    }
}
