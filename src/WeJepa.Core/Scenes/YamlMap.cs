using System.Globalization;
using WeJepa.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeJepa.Core.Scenes;

/// <summary>
/// Reads one YAML mapping into typed values, strictly: every error names <c>file:line:col</c>, the key
/// path and the offending value, and <see cref="Finish"/> rejects keys nobody asked for.
/// </summary>
internal sealed class YamlMap
{
    private readonly string _file;
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    public string File => _file;
    public string Path { get; }
    public YamlNode Node => _node;

    /// <summary>The node of the key itself (for errors about the key rather than its value).</summary>
    public YamlNode KeyNode(string key) => _entries[key].Key;

    public YamlMap(string file, YamlNode node, string path)
    {
        _file = file;
        Path = path;
        _node = node as YamlMappingNode ?? throw Error(file, node, path, $"expected a mapping (key: value lines), got {Describe(node)}");
        foreach (var (key, value) in _node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name } scalar)
                throw Error(file, key, path, "keys must be plain names");
            if (!_entries.TryAdd(name, (scalar, value)))
                throw Error(file, key, Join(path, name), $"duplicate key '{name}'");
        }
    }

    public IEnumerable<string> Keys => _entries.Keys;

    public bool Has(string key) => _entries.ContainsKey(key);

    /// <summary>The raw node under <paramref name="key"/> (marks it as known), or null when absent or <c>null</c>.</summary>
    public YamlNode? Raw(string key)
    {
        _asked.Add(key);
        if (!_entries.TryGetValue(key, out var e)) return null;
        return e.Value is YamlScalarNode { Style: ScalarStyle.Plain, Value: "" or "~" or "null" or "Null" or "NULL" } ? null : e.Value;
    }

    public YamlMap? Map(string key) => Raw(key) is { } n ? new YamlMap(_file, n, Join(Path, key)) : null;

    public YamlSequenceNode? Sequence(string key)
    {
        if (Raw(key) is not { } n) return null;
        return n as YamlSequenceNode ?? throw Error(n, Join(Path, key), $"expected a list, got {Describe(n)}");
    }

    public string String(string key, string fallback)
    {
        if (Raw(key) is not { } n) return fallback;
        if (n is not YamlScalarNode { Value: { Length: > 0 } s })
            throw Error(n, Join(Path, key), $"expected a non-empty string, got {Describe(n)}");
        return s;
    }

    public double Number(string key, double fallback, Bound bound)
    {
        if (Raw(key) is not { } n) return fallback;
        return NumberAt(n, Join(Path, key), bound);
    }

    public int Int(string key, int fallback, int min, int max = int.MaxValue)
    {
        if (Raw(key) is not { } n) return fallback;
        var path = Join(Path, key);
        var text = PlainScalar(n, path, "an integer");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            throw Error(n, path, $"expected an integer, got '{text}'");
        if (v < min) throw Error(n, path, $"must be ≥ {min}, got {text}");
        if (v > max) throw Error(n, path, $"must be ≤ {max}, got {text}");
        return (int)v;
    }

    public ulong UInt64(string key, ulong fallback)
    {
        if (Raw(key) is not { } n) return fallback;
        var path = Join(Path, key);
        var text = PlainScalar(n, path, "an unsigned 64-bit integer");
        if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            throw Error(n, path, $"expected an unsigned 64-bit integer (0 … 18446744073709551615), got '{text}'");
        return v;
    }

    /// <summary>One of <paramref name="names"/> (their YAML spellings), mapped to its value.</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyDictionary<string, T> names)
    {
        if (Raw(key) is not { } n) return fallback;
        var path = Join(Path, key);
        var text = PlainScalar(n, path, "a name");
        return names.TryGetValue(text, out var v)
            ? v
            : throw Error(n, path, $"unknown value '{text}'{DidYouMean(text, names.Keys)} (expected one of: {string.Join(", ", names.Keys)})");
    }

    /// <summary>A flow list of exactly <paramref name="count"/> numbers, e.g. <c>[0.1, 0.2, 0.3]</c>.</summary>
    public double[]? Numbers(string key, int count, Bound bound)
    {
        if (Raw(key) is not { } n) return null;
        return NumbersAt(n, Join(Path, key), count, bound);
    }

    public double[] NumbersAt(YamlNode n, string path, int count, Bound bound)
    {
        if (n is not YamlSequenceNode seq || seq.Children.Count != count)
            throw Error(n, path, $"expected a list of {count} numbers, got {Describe(n)}");
        return seq.Children.Select((c, i) => NumberAt(c, $"{path}[{i}]", bound)).ToArray();
    }

    public Rgb? Color(string key)
    {
        var c = Numbers(key, 3, Bound.Fraction);
        return c is null ? null : new Rgb(c[0], c[1], c[2]);
    }

    public double NumberAt(YamlNode n, string path, Bound bound)
    {
        var text = PlainScalar(n, path, "a number");
        var v = text switch
        {
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw Error(n, path, $"expected a number, got '{text}'"),
        };
        if (!double.IsFinite(v)) throw Error(n, path, $"must be a finite number, got '{text}'");
        return bound.Problem(v) is { } problem ? throw Error(n, path, $"{problem}, got {text}") : v;
    }

    /// <summary>Throws on the first key that no reader asked for, naming the keys that are allowed.</summary>
    public void Finish()
    {
        foreach (var (name, (key, _)) in _entries)
        {
            if (_asked.Contains(name)) continue;
            var allowed = string.Join(", ", _asked.Order(StringComparer.Ordinal));
            throw Error(key, Join(Path, name), $"unknown key '{name}'{DidYouMean(name, _asked)} (allowed here: {allowed})");
        }
    }

    public UserError Error(YamlNode at, string path, string problem) => Error(_file, at, path, problem);

    /// <summary>"; did you mean 'steps'?" when a candidate is within two edits (typos), else "".</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates)
    {
        var best = candidates.Select(c => (c, d: EditDistance(word.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(x => x.d <= 2).OrderBy(x => x.d).Select(x => x.c).FirstOrDefault();
        return best is null ? "" : $"; did you mean '{best}'?";
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var next = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                (diagonal, row[j]) = (row[j], next);
            }
        }
        return row[b.Length];
    }

    public static UserError Error(string file, YamlNode at, string path, string problem) =>
        new($"{file}:{at.Start.Line}:{at.Start.Column}: {(path.Length > 0 ? path + ": " : "")}{problem}");

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string Describe(YamlNode n) => n switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode q => $"a list of {q.Children.Count}",
        YamlMappingNode => "a mapping",
        _ => n.NodeType.ToString(),
    };

    private string PlainScalar(YamlNode n, string path, string expected)
    {
        if (n is not YamlScalarNode s)
            throw Error(n, path, $"expected {expected}, got {Describe(n)}");
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted)
            throw Error(n, path, $"expected {expected}, got the quoted string \"{s.Value}\"");
        return s.Value ?? "";
    }
}

/// <summary>
/// The range a number must lie in: a sign rule (<see cref="AboveZero"/>, or <see cref="Low"/> = 0), then
/// physically sensible magnitudes. Finite but absurd values (dt 1e300, a length of 5e-324) make the
/// simulation write Inf/NaN or lose all precision in float32, so every physical field has a range in its unit.
/// </summary>
internal readonly record struct Bound(double Low, double High, bool AboveZero = false, string Unit = "")
{
    /// <summary>Colours and fractions.</summary>
    public static readonly Bound Fraction = new(0, 1);

    /// <summary>A quantity that must be &gt; 0, within [<paramref name="low"/>, <paramref name="high"/>] <paramref name="unit"/>.</summary>
    public static Bound Positive(double low, double high, string unit) => new(low, high, AboveZero: true, unit);

    /// <summary>A quantity in [0, <paramref name="high"/>] <paramref name="unit"/>.</summary>
    public static Bound NonNegative(double high, string unit) => new(0, high, Unit: unit);

    /// <summary>A signed quantity with |v| ≤ <paramref name="limit"/> <paramref name="unit"/>.</summary>
    public static Bound Within(double limit, string unit) => new(-limit, limit, Unit: unit);

    /// <summary>What is wrong with <paramref name="v"/> ("must be > 0"), or null when it lies in the range.</summary>
    public string? Problem(double v)
    {
        if (AboveZero && v <= 0) return "must be > 0";
        if (v >= Low && v <= High) return null;
        if (Low == 0 && v < 0 && High != 1) return "must be ≥ 0";
        var unit = Unit.Length > 0 ? $" {Unit}" : "";
        return $"must be in [{Format(Low)}, {Format(High)}]{unit}";
    }

    private static string Format(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
