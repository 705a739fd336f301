namespace WeJepa.Core.Scenes;

/// <summary>Which learned twin stands beside the true system.</summary>
public enum LearnedModel
{
    /// <summary>The scene's own equations of motion (double): the reference twin.</summary>
    Exact,
}

/// <summary>
/// The learned twin a viewer shows beside the true system (<c>wejepa view</c>), so that a scene file
/// describes what the window shows: <c>LearnedDynamics: { model: exact }</c>. The trained kinds
/// (checkpoint + hnn | lnn | mlp) join <see cref="Models"/> with the training project.
/// </summary>
public sealed record LearnedDynamicsComponent : Component
{
    public static readonly IReadOnlyDictionary<string, LearnedModel> Models = new Dictionary<string, LearnedModel>(StringComparer.Ordinal)
    {
        ["exact"] = LearnedModel.Exact,
    };

    public LearnedModel Model { get; init; } = LearnedModel.Exact;

    /// <summary>The model's YAML / command-line name.</summary>
    public static string Name(LearnedModel model) => Models.First(m => m.Value == model).Key;

    internal static LearnedDynamicsComponent Read(YamlMap m) => new() { Model = m.Choice("model", LearnedModel.Exact, Models) };
}
