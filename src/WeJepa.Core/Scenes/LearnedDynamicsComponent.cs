using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Core.Scenes;

/// <summary>Which learned twin stands beside the true system.</summary>
public enum LearnedModel
{
    /// <summary>The scene's own equations of motion (double): the reference twin.</summary>
    Exact,
    /// <summary>A Hamiltonian neural network trained by <c>wejepa train dynamics</c>.</summary>
    Hnn,
    /// <summary>An HNN with a learned dissipation term.</summary>
    DissipativeHnn,
    /// <summary>A Lagrangian neural network.</summary>
    Lnn,
    /// <summary>The baseline MLP that regresses dx/dt directly.</summary>
    Mlp,
}

/// <summary>
/// The learned twin a viewer shows beside the true system (<c>wejepa view</c>), so that a scene file
/// describes what the window shows: <c>LearnedDynamics: { model: exact }</c>, or a trained model
/// <c>LearnedDynamics: { checkpoint: runs/hnn, model: hnn }</c>. The checkpoint (a <c>train dynamics</c>
/// run folder or its <c>model.safetensors</c>) is resolved relative to the scene file and must exist and
/// hold the named kind (its metadata says which); without <c>model</c> the checkpoint's kind is taken.
/// </summary>
public sealed record LearnedDynamicsComponent : Component
{
    /// <summary>The file of a run folder that holds the weights with the model's kind in its metadata.</summary>
    public const string ModelFile = "model.safetensors";

    public static readonly IReadOnlyDictionary<string, LearnedModel> Models = new Dictionary<string, LearnedModel>(StringComparer.Ordinal)
    {
        ["exact"] = LearnedModel.Exact,
        ["hnn"] = LearnedModel.Hnn,
        ["dhnn"] = LearnedModel.DissipativeHnn,
        ["lnn"] = LearnedModel.Lnn,
        ["mlp"] = LearnedModel.Mlp,
    };

    public LearnedModel Model { get; init; } = LearnedModel.Exact;
    /// <summary>The weights file (absolute, resolved), null for the exact twin.</summary>
    public string? Checkpoint { get; init; }

    /// <summary>The model's YAML / command-line name (also the <c>model</c> entry of a checkpoint's metadata).</summary>
    public static string Name(LearnedModel model) => Models.First(m => m.Value == model).Key;

    /// <summary>
    /// The weights file a checkpoint argument names (a run folder's <see cref="ModelFile"/>, or the file itself) and
    /// the kind its metadata records; <paramref name="problem"/> turns a complaint into the caller's error.
    /// </summary>
    public static (string File, LearnedModel Kind) Inspect(string path, Func<string, UserError> problem)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, ModelFile) : path;
        if (!File.Exists(file))
            throw problem(Directory.Exists(path) ? $"the run folder '{path}' holds no {ModelFile}" : $"no such file '{path}'");
        SafetensorsFile weights;
        try { weights = Safetensors.Read(file, "checkpoint"); }
        catch (UserError e) { throw problem(e.Message); }
        if (!weights.Metadata.TryGetValue("model", out var kind) || !Models.TryGetValue(kind, out var model) || model == LearnedModel.Exact)
            throw problem($"'{file}' names no trained model kind in its metadata (expected model.safetensors or checkpoint.safetensors written by train dynamics)");
        return (Path.GetFullPath(file), model);
    }

    internal static LearnedDynamicsComponent Read(YamlMap m)
    {
        var named = m.Raw("model") is null ? (LearnedModel?)null : m.Choice("model", LearnedModel.Exact, Models);
        var path = m.String("checkpoint", "");
        if (path.Length == 0)
        {
            if (named is { } kind && kind != LearnedModel.Exact)
                throw m.Error(m.Raw("model")!, YamlMap.Join(m.Path, "model"), $"'{Name(kind)}' needs a checkpoint (a train dynamics run folder or its {ModelFile})");
            return new LearnedDynamicsComponent();
        }
        var key = YamlMap.Join(m.Path, "checkpoint");
        var (file, held) = Inspect(Resolve(m.File, path), problem => m.Error(m.Raw("checkpoint")!, key, $"'{path}': {problem}"));
        if (named == LearnedModel.Exact)
            throw m.Error(m.Raw("model")!, YamlMap.Join(m.Path, "model"), $"'exact' takes no checkpoint, but checkpoint '{path}' is given");
        if (named is { } asked && asked != held)
            throw m.Error(m.Raw("model")!, YamlMap.Join(m.Path, "model"), $"'{Name(asked)}', but checkpoint '{path}' holds a {Name(held)}");
        return new LearnedDynamicsComponent { Model = held, Checkpoint = file };
    }

    /// <summary>A path in a scene file is relative to the scene file's folder (the working folder for scenes that are no file).</summary>
    private static string Resolve(string sceneFile, string path) =>
        Path.IsPathRooted(path) || !File.Exists(sceneFile) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(sceneFile))!, path);
}
