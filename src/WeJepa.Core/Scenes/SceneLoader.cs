using WeJepa.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace WeJepa.Core.Scenes;

/// <summary>
/// Loads a Unity-style scene file (see <c>scenes/pendulum.yaml</c>) into a validated <see cref="Scene"/>.
/// Every problem is a <see cref="UserError"/> (exit code 2) whose message starts with
/// <c>file:line:col: key.path:</c> and quotes the bad value.
/// </summary>
public static class SceneLoader
{
    private static readonly Dictionary<string, Integrator> Integrators = new(StringComparer.Ordinal)
    {
        ["rk4"] = Integrator.Rk4,
        ["leapfrog"] = Integrator.Leapfrog,
        ["semi_implicit_euler"] = Integrator.SemiImplicitEuler,
    };

    private static readonly Dictionary<string, Func<YamlMap, Component>> ComponentReaders = new(StringComparer.Ordinal)
    {
        ["Pendulum"] = ReadPendulum,
        ["DoublePendulum"] = ReadDoublePendulum,
        ["Camera"] = ReadCamera,
        ["Appearance"] = ReadAppearance,
        ["Randomization"] = ReadRandomization,
        ["SensorNoise"] = m => new SensorNoiseComponent { Stddev = m.Number("stddev", 0.0, Bound.NonNegative) },
        ["LearnedDynamics"] = LearnedDynamicsComponent.Read,
    };

    /// <summary>Reads and validates the scene file at <paramref name="path"/>.</summary>
    public static Scene Load(string path)
    {
        if (Directory.Exists(path)) throw new UserError($"{path}: is a folder, expected a scene file (.yaml)");
        if (!File.Exists(path)) throw new UserError($"{path}: scene file not found");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot read the scene file: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses scene YAML; <paramref name="source"/> names it in messages (a path or a resource name).</summary>
    public static Scene Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e)
        {
            var why = (e.InnerException?.Message ?? e.Message).Split(':').Last().Trim();
            if (why.StartsWith("Duplicate key ", StringComparison.Ordinal))
                throw new UserError($"{source}:{e.Start.Line}:{e.Start.Column}: duplicate key '{why["Duplicate key ".Length..]}'");
            throw new UserError($"{source}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {why}");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: "" or "~" or "null" })
            throw new UserError($"{source}:1:1: the scene file is empty (expected 'scene:' and 'objects:')");
        if (stream.Documents.Count > 1)
            throw YamlMap.Error(source, stream.Documents[1].RootNode, "", "expected one YAML document, found several");

        var root = new YamlMap(source, stream.Documents[0].RootNode, "");
        var settings = ReadSettings(root.Map("scene"), source);
        var objects = ReadObjects(root, source);
        root.Finish();

        var scene = new Scene(source, settings, objects.Select(o => o.Object).ToList());
        CheckScene(scene, objects, root, source);
        return scene;
    }

    private static SceneSettings ReadSettings(YamlMap? m, string source)
    {
        var fallbackName = Path.GetFileNameWithoutExtension(source);
        if (m is null) return new SceneSettings { Name = fallbackName };
        var s = new SceneSettings
        {
            Name = m.String("name", fallbackName),
            Seed = m.UInt64("seed", 0),
            Dt = m.Number("dt", 0.01, Bound.Positive),
            Steps = m.Int("steps", 1000, min: 1),
            Envs = m.Int("envs", 16, min: 1),
            Integrator = m.Choice("integrator", Integrator.Rk4, Integrators),
        };
        m.Finish();
        return s;
    }

    /// <summary>An object with, per component, the node it came from (for positions in later checks).</summary>
    private sealed record ParsedObject(SceneObject Object, Dictionary<Component, YamlNode> Nodes);

    private static List<ParsedObject> ReadObjects(YamlMap root, string source)
    {
        var list = new List<ParsedObject>();
        if (root.Sequence("objects") is not { } seq) return list;
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var m = new YamlMap(source, seq.Children[i], $"objects[{i}]");
            var name = m.String("name", $"object{i}");
            if (!names.Add(name)) throw m.Error(m.Node, $"objects[{i}].name", $"duplicate object name '{name}'");
            var components = new List<Component>();
            var nodes = new Dictionary<Component, YamlNode>(ReferenceEqualityComparer.Instance);
            if (m.Map("components") is { } cm)
            {
                foreach (var key in cm.Keys.Where(k => !ComponentReaders.ContainsKey(k) && k != "InitialState"))
                    throw cm.Error(cm.KeyNode(key), YamlMap.Join(cm.Path, key),
                        $"unknown component '{key}'{YamlMap.DidYouMean(key, ComponentReaders.Keys.Append("InitialState"))} " +
                        $"(known: {string.Join(", ", ComponentReaders.Keys.Append("InitialState"))})");
                // The physical system first: InitialState's keys depend on it.
                var system = cm.Keys.Where(k => k is "Pendulum" or "DoublePendulum").ToList();
                foreach (var key in system.Concat(cm.Keys.Except(system).Where(k => k != "InitialState")).ToList())
                {
                    if (!ComponentReaders.TryGetValue(key, out var reader)) continue;
                    var c = ReadComponent(cm, key, reader);
                    components.Add(c);
                    nodes[c] = cm.Raw(key) ?? cm.KeyNode(key); // `Camera:` alone is null: point at the key
                }
                if (cm.Map("InitialState") is { } im)
                {
                    var sys = components.OfType<PhysicalSystemComponent>().FirstOrDefault()
                        ?? throw m.Error(im.Node, im.Path, "InitialState must sit on the object that has the Pendulum or DoublePendulum component");
                    var c = ReadInitialState(im, sys);
                    components.Add(c);
                    nodes[c] = im.Node;
                }
                cm.Finish();
            }
            m.Finish();
            list.Add(new ParsedObject(new SceneObject(name, components), nodes));
        }
        return list;
    }

    private static Component ReadComponent(YamlMap components, string key, Func<YamlMap, Component> reader)
    {
        // A component written as `Camera: {}` or `Camera:` (null) takes all its defaults.
        var map = components.Map(key) ?? new YamlMap(components.File, new YamlMappingNode(), YamlMap.Join(components.Path, key));
        var c = reader(map);
        map.Finish();
        return c;
    }

    private static PendulumComponent ReadPendulum(YamlMap m)
    {
        var drive = new Drive();
        if (m.Map("drive") is { } d)
        {
            drive = new Drive(d.Number("amplitude", 0.0), d.Number("frequency", 0.0, Bound.NonNegative));
            d.Finish();
        }
        return new PendulumComponent
        {
            Length = m.Number("length", 1.0, Bound.Positive),
            Mass = m.Number("mass", 1.0, Bound.Positive),
            Gravity = m.Number("gravity", 9.81, Bound.Positive),
            Damping = m.Number("damping", 0.0, Bound.NonNegative),
            Drive = drive,
        };
    }

    private static DoublePendulumComponent ReadDoublePendulum(YamlMap m) => new()
    {
        L1 = m.Number("l1", 1.0, Bound.Positive),
        L2 = m.Number("l2", 1.0, Bound.Positive),
        M1 = m.Number("m1", 1.0, Bound.Positive),
        M2 = m.Number("m2", 1.0, Bound.Positive),
        Gravity = m.Number("gravity", 9.81, Bound.Positive),
        Damping = m.Number("damping", 0.0, Bound.NonNegative),
    };

    private static InitialStateComponent ReadInitialState(YamlMap m, PhysicalSystemComponent system)
    {
        var values = new Dictionary<string, ValueSpec>(StringComparer.Ordinal);
        foreach (var name in system.StateNames)
            if (m.Raw(name) is { } n) values[name] = ReadValueSpec(m, n, YamlMap.Join(m.Path, name));
        m.Finish();
        return new InitialStateComponent(values);
    }

    /// <summary><c>1.5</c> (fixed) or <c>{uniform: [lo, hi]}</c> with lo ≤ hi.</summary>
    private static ValueSpec ReadValueSpec(YamlMap parent, YamlNode n, string path)
    {
        if (n is YamlScalarNode) return ValueSpec.Fixed(parent.NumberAt(n, path, Bound.Any));
        if (n is not YamlMappingNode)
            throw parent.Error(n, path, $"expected a number or {{uniform: [lo, hi]}}, got {YamlMap.Describe(n)}");
        var m = new YamlMap(parent.File, n, path);
        var range = m.Numbers("uniform", 2) ?? throw m.Error(n, path, "expected {uniform: [lo, hi]}");
        m.Finish();
        if (range[0] > range[1]) throw m.Error(m.Raw("uniform")!, $"{path}.uniform", $"needs lo ≤ hi, got [{range[0]}, {range[1]}]");
        return new ValueSpec(range[0], range[1]);
    }

    private static CameraComponent ReadCamera(YamlMap m)
    {
        var center = m.Numbers("center", 2);
        return new CameraComponent
        {
            Width = m.Int("width", 64, min: 1),
            Height = m.Int("height", 64, min: 1),
            Scale = m.Number("scale", 2.5, Bound.Positive),
            Center = center is null ? default : new Vec2(center[0], center[1]),
        };
    }

    private static AppearanceComponent ReadAppearance(YamlMap m)
    {
        var d = new AppearanceComponent();
        return new AppearanceComponent
        {
            Background = m.Color("background") ?? d.Background,
            RodColor = m.Color("rod_color") ?? d.RodColor,
            BobColor = m.Color("bob_color") ?? d.BobColor,
            PivotColor = m.Color("pivot_color") ?? d.PivotColor,
            RodWidth = m.Number("rod_width", d.RodWidth, Bound.Positive),
            BobRadius = m.Number("bob_radius", d.BobRadius, Bound.Positive),
            PivotRadius = m.Number("pivot_radius", d.PivotRadius, Bound.NonNegative),
        };
    }

    private static RandomizationComponent ReadRandomization(YamlMap m)
    {
        var jitter = m.Number("color_jitter", 0.0, Bound.Unit);
        var scale = m.Numbers("length_scale", 2, Bound.Positive) ?? [1.0, 1.0];
        if (scale[0] > scale[1])
            throw m.Error(m.Raw("length_scale")!, YamlMap.Join(m.Path, "length_scale"), $"needs lo ≤ hi, got [{scale[0]}, {scale[1]}]");
        return new RandomizationComponent { ColorJitter = jitter, LengthScale = new ValueSpec(scale[0], scale[1]) };
    }

    /// <summary>Whole-scene rules: exactly one physical system, one of each other component, integrator fits the system.</summary>
    private static void CheckScene(Scene scene, List<ParsedObject> objects, YamlMap root, string source)
    {
        var all = objects.SelectMany(o => o.Object.Components.Select(c => (Component: c, Node: o.Nodes[c]))).ToList();
        var systems = all.Where(c => c.Component is PhysicalSystemComponent).ToList();
        if (systems.Count == 0)
            throw YamlMap.Error(source, root.Raw("objects") ?? root.Node, "objects",
                "the scene has no physical system: add a Pendulum or DoublePendulum component to one object");
        if (systems.Count > 1)
            throw YamlMap.Error(source, systems[1].Node, "objects",
                $"the scene has {systems.Count} physical systems (Pendulum/DoublePendulum); exactly one is allowed");
        foreach (var group in all.GroupBy(c => c.Component.GetType()).Where(g => g.Count() > 1))
            throw YamlMap.Error(source, group.ElementAt(1).Node, "objects",
                $"component {group.Key.Name.Replace("Component", "")} appears {group.Count()} times; at most one per scene");
        if (scene.Settings.Integrator == Integrator.Leapfrog && scene.System.NonSeparableReason is { } why)
        {
            var at = root.Map("scene")?.Raw("integrator") ?? root.Node;
            throw YamlMap.Error(source, at, "scene.integrator",
                $"leapfrog cannot integrate this scene: {why}. Use rk4 or semi_implicit_euler");
        }
    }
}
