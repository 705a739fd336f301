using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.Viewer.Twins;

/// <summary>
/// A trained model's twin (HNN, dissipative HNN, LNN or MLP from <c>wejepa train dynamics</c>): every fixed step
/// advances all K pairs as one batch through <see cref="BatchRollout"/> on the engine (RK4, from the simulated
/// time for a model with a time input), so the window shows what <c>wejepa rollout</c> computes from the same
/// states. Pair e is the scene's environment e; a model in canonical momenta (an HNN of d ≥ 2) rolls out in
/// (q, p) and its states are mapped back to the viewer's (q, v) (<see cref="CanonicalMomenta"/>).
/// </summary>
public sealed class TrainedTwin(DynamicsModel model, string checkpointName, Scene scene) : ILearnedTwin, IDisposable
{
    public DynamicsModel Model { get; } = model;
    public string Label { get; } = LabelOf(model.Kind);
    public string Name { get; } = $"{LabelOf(model.Kind)} {checkpointName}";

    public void Advance(Span<float> states, double time, double dt, int steps)
    {
        if (steps <= 0) return;
        int d = Model.Degrees, s = 2 * d, b = states.Length / s;
        IDynamics SystemOf(int env) => Environments.Dynamics(scene, env);
        var start = Model.Canonical ? CanonicalMomenta.ToCanonical(SystemOf, states.ToArray(), 1, d) : states.ToArray();
        var trace = BatchRollout.Run(Model, start, dt, steps, startTime: time);   // (B, steps + 1, S): keep each trajectory's last state
        var last = new float[states.Length];
        for (var e = 0; e < b; e++) trace.AsSpan((e * (steps + 1) + steps) * s, s).CopyTo(last.AsSpan(e * s, s));
        (Model.Canonical ? CanonicalMomenta.FromCanonical(SystemOf, last, 1, d) : last).CopyTo(states);
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
