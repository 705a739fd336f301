using WeJepa.Core.Errors;
using WeJepa.Core.IO;
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
        ["SensorNoise"] = m => new SensorNoiseComponent { Stddev = m.Number("stddev", 0.0, Ranges.Noise) },
    };

    /// <summary>
    /// The physically sensible range of each scene field. Beyond them the float32 outputs overflow, a step
    /// integrates nothing, or rk4 diverges at once; the simulation's outputs are still checked for NaN/Inf.
    /// </summary>
    private static class Ranges
    {
        public static readonly Bound Dt = Bound.Positive(1e-6, 1, "s");
        public static readonly Bound Length = Bound.Positive(1e-3, 1e3, "m");
        public static readonly Bound Size = Bound.NonNegative(1e3, "m");
        public static readonly Bound Mass = Bound.Positive(1e-6, 1e6, "kg");
        public static readonly Bound Gravity = Bound.Positive(1e-3, 1e3, "m/s²");
        public static readonly Bound Damping = Bound.NonNegative(1e3, "1/s");
        public static readonly Bound DriveAmplitude = Bound.Within(1e4, "rad/s²");
        public static readonly Bound DriveFrequency = Bound.NonNegative(1e3, "Hz");
        public static readonly Bound InitialValue = Bound.Within(1e3, "(rad or rad/s)");
        public static readonly Bound WorldPosition = Bound.Within(1e3, "m");
        public static readonly Bound Scale = Bound.Positive(1e-3, 1e3, "(a factor)");
        public static readonly Bound Noise = Bound.NonNegative(1e3, "");
        public const int MaxImageSide = 8192;
    }

    /// <summary>Reads and validates the scene file at <paramref name="path"/>.</summary>
    public static Scene Load(string path) => Parse(ReadText(path), path);

    /// <summary>
    /// The text of the scene file at <paramref name="path"/>: a regular file of at most
    /// <see cref="YamlLimits.MaxBytes"/>, strict UTF-8 (else a <see cref="UserError"/> naming the path).
    /// </summary>
    public static string ReadText(string path) => BoundedFile.ReadAllText(path, YamlLimits.MaxBytes, "scene file");

    /// <summary>Parses scene YAML; <paramref name="source"/> names it in messages (a path or a resource name).</summary>
    public static Scene Parse(string yaml, string source)
    {
        YamlLimits.Check(yaml, source); // size, depth and alias expansion bounded before the document model is built
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException e) { throw YamlLimits.NotYaml(source, e); }
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
            Dt = m.Number("dt", 0.01, Ranges.Dt),
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
            drive = new Drive(d.Number("amplitude", 0.0, Ranges.DriveAmplitude), d.Number("frequency", 0.0, Ranges.DriveFrequency));
            d.Finish();
        }
        return new PendulumComponent
        {
            Length = m.Number("length", 1.0, Ranges.Length),
            Mass = m.Number("mass", 1.0, Ranges.Mass),
            Gravity = m.Number("gravity", 9.81, Ranges.Gravity),
            Damping = m.Number("damping", 0.0, Ranges.Damping),
            Drive = drive,
        };
    }

    private static DoublePendulumComponent ReadDoublePendulum(YamlMap m) => new()
    {
        L1 = m.Number("l1", 1.0, Ranges.Length),
        L2 = m.Number("l2", 1.0, Ranges.Length),
        M1 = m.Number("m1", 1.0, Ranges.Mass),
        M2 = m.Number("m2", 1.0, Ranges.Mass),
        Gravity = m.Number("gravity", 9.81, Ranges.Gravity),
        Damping = m.Number("damping", 0.0, Ranges.Damping),
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
        if (n is YamlScalarNode) return ValueSpec.Fixed(parent.NumberAt(n, path, Ranges.InitialValue));
        if (n is not YamlMappingNode)
            throw parent.Error(n, path, $"expected a number or {{uniform: [lo, hi]}}, got {YamlMap.Describe(n)}");
        var m = new YamlMap(parent.File, n, path);
        var range = m.Numbers("uniform", 2, Ranges.InitialValue) ?? throw m.Error(n, path, "expected {uniform: [lo, hi]}");
        m.Finish();
        if (range[0] > range[1]) throw m.Error(m.Raw("uniform")!, $"{path}.uniform", $"needs lo ≤ hi, got [{range[0]}, {range[1]}]");
        return new ValueSpec(range[0], range[1]);
    }

    private static CameraComponent ReadCamera(YamlMap m)
    {
        var center = m.Numbers("center", 2, Ranges.WorldPosition);
        return new CameraComponent
        {
            Width = m.Int("width", 64, min: 1, max: Ranges.MaxImageSide),
            Height = m.Int("height", 64, min: 1, max: Ranges.MaxImageSide),
            Scale = m.Number("scale", 2.5, Ranges.Length),
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
            RodWidth = m.Number("rod_width", d.RodWidth, Ranges.Length),
            BobRadius = m.Number("bob_radius", d.BobRadius, Ranges.Length),
            PivotRadius = m.Number("pivot_radius", d.PivotRadius, Ranges.Size),
        };
    }

    private static RandomizationComponent ReadRandomization(YamlMap m)
    {
        var jitter = m.Number("color_jitter", 0.0, Bound.Fraction);
        var scale = m.Numbers("length_scale", 2, Ranges.Scale) ?? [1.0, 1.0];
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
