using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.App.Terminal;

/// <summary>Loads the scene a command was given, or the default scene embedded in the binary.</summary>
public static class SceneInput
{
    public const string DefaultResource = "scenes/pendulum.yaml";

    /// <summary>The scene and its YAML text (copied into outputs for provenance).</summary>
    public static (Scene Scene, string Yaml) Load(string? path)
    {
        if (path is null) return LoadEmbedded(DefaultResource);
        if (path.Length == 0) throw new UserError("--scene: the path is empty; name a scene file (.yaml)");
        var text = SceneLoader.ReadText(path); // read once: the copy in the outputs is the text that was checked
        return (SceneLoader.Parse(text, path), text);
    }

    public static string EmbeddedDefault() => Embedded(DefaultResource);

    /// <summary>A scene embedded in the binary (scenes/pendulum.yaml, scenes/randomized.yaml) and its YAML text.</summary>
    public static (Scene Scene, string Yaml) LoadEmbedded(string resource)
    {
        var yaml = Embedded(resource);
        return (SceneLoader.Parse(yaml, $"{resource} (embedded)"), yaml);
    }

    static string Embedded(string resource)
    {
        using var stream = typeof(SceneInput).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"resource {resource} missing from the build");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Applies --envs/--steps/--seed, checking them like the scene's own fields.</summary>
    public static Scene Override(Scene scene, int? envs, int? steps, ulong? seed)
    {
        if (envs < 1) throw new UserError($"--envs: must be ≥ 1, got {envs}");
        if (steps < 1) throw new UserError($"--steps: must be ≥ 1, got {steps}");
        scene = scene.With(envs, steps, seed);
        const long limit = 1L << 28;
        var values = (long)scene.Settings.Envs * (scene.Settings.Steps + 1L) * scene.StateSize;
        if (values > limit)
            throw new UserError($"--envs × (--steps + 1) × state size = {values} values; one run may write at most {limit} (lower --envs or --steps)");
        long memory = TrajectoryFiles.MemoryBytes(scene.Settings.Envs, scene.Settings.Steps, scene.StateSize);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (memory > available)
            throw new UserError($"--envs {scene.Settings.Envs} × --steps {scene.Settings.Steps} needs about {Sizes.Human(memory)} of memory " +
                                $"(double-precision states and energies), more than the {Sizes.Human(available)} this process may use; lower --envs or --steps");
        return scene;
    }
}
