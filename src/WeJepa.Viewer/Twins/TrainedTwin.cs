using WeJepa.Core.Scenes;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Viewer.Twins;

/// <summary>
/// A trained model's twin (HNN, dissipative HNN, LNN or MLP from <c>wejepa train dynamics</c>): every fixed step
/// advances all K pairs as one batch through <see cref="BatchRollout"/> on the engine (RK4), so the window shows
/// exactly what <c>wejepa rollout</c> computes from the same states.
/// </summary>
public sealed class TrainedTwin(DynamicsModel model, string checkpointName) : ILearnedTwin, IDisposable
{
    public DynamicsModel Model { get; } = model;
    public string Label { get; } = LabelOf(model.Kind);
    public string Name { get; } = $"{LabelOf(model.Kind)} {checkpointName}";

    public void Advance(Span<float> states, double time, double dt, int steps)
    {
        if (steps <= 0) return;
        var s = 2 * Model.Degrees;
        var b = states.Length / s;
        var trace = BatchRollout.Run(Model, states, dt, steps);   // (B, steps + 1, S): keep each trajectory's last state
        for (var e = 0; e < b; e++)
            trace.AsSpan((e * (steps + 1) + steps) * s, s).CopyTo(states.Slice(e * s, s));
    }

    /// <summary>"HNN", "DHNN", "LNN", "MLP": the kind as the HUD names it.</summary>
    public static string LabelOf(DynamicsModelKind kind) => DynamicsModel.Name(kind).ToUpperInvariant();

    /// <summary>A checkpoint's name in the HUD: its run folder for a run's own files, else the file's name.</summary>
    public static string CheckpointName(string file)
    {
        var name = Path.GetFileName(file);
        return name is LearnedDynamicsComponent.ModelFile or DynamicsTrainer.CheckpointFile
            ? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file))) ?? name
            : Path.GetFileNameWithoutExtension(name);
    }

    public void Dispose() => Model.Dispose();
}
