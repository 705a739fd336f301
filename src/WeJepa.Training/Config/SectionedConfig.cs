using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeJepa.Training.Config;

/// <summary>
/// A config made of sections (<c>data:</c>, <c>model:</c>, …), each a class of settable properties, bound from YAML or
/// JSON (JSON is YAML) by name in snake_case, overridden by <c>section.key=value</c> assignments, and printed back as
/// YAML or JSON that loads to the identical config. Every problem names where the value came from (file:line:column,
/// <c>--set</c>, or the preset), the key and the value: an unknown section or key, a value of the wrong type.
/// Property types: int, long, ulong, double, bool, string, double[] and int[] (YAML sequences).
/// </summary>
public abstract class SectionedConfig
{
    readonly Dictionary<string, string> origins = [];

    /// <summary>What the config was built from, before any file or assignment (e.g. "preset tiny").</summary>
    public string Source { get; protected set; } = "config";

    /// <summary>Where <c>section.key</c> got its value ("file.yaml:12:3", "--set"), else <see cref="Source"/>.</summary>
    public string OriginOf(string key) => origins.TryGetValue(key, out var o) ? o : Source;

    /// <summary>An error about <c>section.key</c> = value, located where the value came from.</summary>
    public UserError Rejected(string key, object? value, string why) => new($"{OriginOf(key)}: {key} = {Show(value)}: {why}");

    IEnumerable<(string Name, object Section)> Sections() =>
        GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsClass && p.PropertyType != typeof(string) && p.CanRead && p.Name != nameof(Source))
            .Select(p => (SnakeCase(p.Name), p.GetValue(this)!));

    static IEnumerable<(string Name, PropertyInfo Property)> Keys(object section) =>
        section.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.CanWrite).Select(p => (SnakeCase(p.Name), p));

    /// <summary>Applies a YAML or JSON file (sections it leaves out keep their values).</summary>
    public void ApplyFile(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: config file not found");
        ApplyText(BoundedFile.ReadAllText(path, YamlLimits.MaxBytes, "config file"), path);
    }

    /// <summary>Applies YAML or JSON text; <paramref name="path"/> names it in errors.</summary>
    public void ApplyText(string text, string path)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new UserError($"{path}:{e.Start.Line}:{e.Start.Column}: {e.Message}"); }
        if (stream.Documents.Count == 0) return;
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new UserError($"{path}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping of sections ({string.Join(", ", Sections().Select(s => s.Name))})");
        var sections = Sections().ToDictionary(s => s.Name, s => s.Section);
        foreach (var (keyNode, value) in root.Children)
        {
            var name = ((YamlScalarNode)keyNode).Value ?? "";
            var where = $"{path}:{keyNode.Start.Line}:{keyNode.Start.Column}";
            if (!sections.TryGetValue(name, out var section))
                throw new UserError($"{where}: unknown section '{name}' (expected one of {string.Join(", ", sections.Keys)})");
            if (value is not YamlMappingNode mapping)
                throw new UserError($"{where}: section '{name}' must be a mapping of keys");
            foreach (var (k, v) in mapping.Children)
            {
                var key = ((YamlScalarNode)k).Value ?? "";
                Assign(section, name, key, v, $"{path}:{k.Start.Line}:{k.Start.Column}");
            }
        }
    }

    /// <summary>Applies one <c>section.key=value</c> (the value in YAML syntax: <c>0.5</c>, <c>true</c>, <c>[0.1, 0.2]</c>).</summary>
    public void ApplyAssignment(string assignment)
    {
        int eq = assignment.IndexOf('=');
        int dot = eq > 0 ? assignment.IndexOf('.', 0, eq) : -1;
        if (eq < 0 || dot < 0) throw new UserError($"--set {assignment}: expected section.key=value (e.g. optimizer.lr=0.001)");
        var (name, key, text) = (assignment[..dot], assignment[(dot + 1)..eq], assignment[(eq + 1)..]);
        var section = Sections().FirstOrDefault(s => s.Name == name).Section
            ?? throw new UserError($"--set {assignment}: unknown section '{name}' (expected one of {string.Join(", ", Sections().Select(s => s.Name))})");
        YamlNode node = new YamlScalarNode(text);
        if (text.TrimStart().StartsWith('['))
        {
            var stream = new YamlStream();
            try { stream.Load(new StringReader(text)); }
            catch (YamlException e) { throw new UserError($"--set {assignment}: {e.Message}"); }
            node = stream.Documents[0].RootNode;
        }
        Assign(section, name, key, node, "--set");
    }

    void Assign(object section, string sectionName, string key, YamlNode node, string where)
    {
        var full = $"{sectionName}.{key}";
        var property = Keys(section).FirstOrDefault(k => k.Name == key).Property
            ?? throw new UserError($"{where}: unknown key '{full}' (section {sectionName} has: {string.Join(", ", Keys(section).Select(k => k.Name))})");
        property.SetValue(section, Convert(node, property.PropertyType, full, where));
        origins[full] = where;
    }

    static object Convert(YamlNode node, Type type, string key, string where)
    {
        if (type.IsArray)
        {
            if (node is not YamlSequenceNode sequence)
                throw new UserError($"{where}: {key} = {Text(node)}: expected a list like [{(type == typeof(int[]) ? "32, 64" : "0.1, 0.2")}]");
            var element = type.GetElementType()!;
            var values = sequence.Children.Select(c => Convert(c, element, key, where)).ToArray();
            var array = Array.CreateInstance(element, values.Length);
            for (int i = 0; i < values.Length; i++) array.SetValue(values[i], i);
            return array;
        }
        if (node is not YamlScalarNode scalar) throw new UserError($"{where}: {key} = {Text(node)}: expected a single {TypeName(type)}");
        var s = scalar.Value ?? "";
        var inv = CultureInfo.InvariantCulture;
        object? value = type switch
        {
            _ when type == typeof(string) => s,
            _ when type == typeof(int) => int.TryParse(s, NumberStyles.Integer, inv, out var i) ? i : null,
            _ when type == typeof(long) => long.TryParse(s, NumberStyles.Integer, inv, out var l) ? l : null,
            _ when type == typeof(ulong) => ulong.TryParse(s, NumberStyles.Integer, inv, out var u) ? u : null,
            _ when type == typeof(double) => double.TryParse(s, NumberStyles.Float, inv, out var d) && double.IsFinite(d) ? d : null,
            _ when type == typeof(bool) => s switch { "true" or "True" => true, "false" or "False" => false, _ => null },
            _ => throw new InvalidOperationException($"config: no conversion to {type}"),
        };
        return value ?? throw new UserError($"{where}: {key} = {Show(s)}: expected {TypeName(type)}");
    }

    static string TypeName(Type t) => t == typeof(int) || t == typeof(long) ? "an integer"
        : t == typeof(ulong) ? "a non-negative integer"
        : t == typeof(double) ? "a finite number"
        : t == typeof(bool) ? "true or false" : "a string";

    static string Text(YamlNode node) => node switch
    {
        YamlScalarNode s => Show(s.Value),
        YamlSequenceNode q => "[" + string.Join(", ", q.Children.Select(Text)) + "]",
        _ => "a mapping",
    };

    static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Array a => "[" + string.Join(", ", a.Cast<object>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Every section and key, in declaration order, as YAML that <see cref="ApplyFile"/> reads back identically.</summary>
    public string ToYaml()
    {
        var sb = new StringBuilder();
        foreach (var (name, section) in Sections())
        {
            sb.Append(name).Append(":\n");
            foreach (var (key, property) in Keys(section))
                sb.Append("  ").Append(key).Append(": ").Append(Scalar(property.GetValue(section))).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The same as JSON (one object per section).</summary>
    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var (name, section) in Sections())
        {
            var obj = new JsonObject();
            foreach (var (key, property) in Keys(section)) obj[key] = Json(property.GetValue(section));
            root[name] = obj;
        }
        return root.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    // strings double-quoted with JSON escapes (valid YAML), numbers in round-trip form
    static string Scalar(object? value) => value switch
    {
        string s => JsonValue.Create(s).ToJsonString(),
        Array a => "[" + string.Join(", ", a.Cast<object>().Select(Scalar)) + "]",
        _ => Show(value),
    };

    static JsonNode? Json(object? value) => value switch
    {
        string s => JsonValue.Create(s),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        ulong u => JsonValue.Create(u),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        Array a => new JsonArray(a.Cast<object>().Select(Json).ToArray()),
        _ => null,
    };

    /// <summary>PascalCase → snake_case (<c>PredMaskScale</c> → <c>pred_mask_scale</c>).</summary>
    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
