using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Training.Rollouts;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Viewer.Twins;

/// <summary>
/// The twins a view shows, in the order <c>M</c> cycles through them, and the engine device the trained ones run
/// on (opened only when there is one). Chosen from the command line (<c>--checkpoint</c>, repeatable, and
/// <c>--model</c>), else from the scene's <see cref="LearnedDynamicsComponent"/>, else the exact twin.
/// </summary>
public sealed class LearnedTwins : IDisposable
{
    private readonly Device? engine;

    public IReadOnlyList<ILearnedTwin> All { get; }

    private LearnedTwins(Device? engine, IReadOnlyList<ILearnedTwin> all) => (this.engine, All) = (engine, all);

    /// <param name="model">--model's value (exact, hnn, dhnn, lnn, mlp) or null.</param>
    /// <param name="checkpoints">--checkpoint values: run folders or weights files.</param>
    /// <param name="openEngine">Opens the engine device for the trained twins (the CLI's device choice).</param>
    public static LearnedTwins Choose(Scene scene, int pairs, string? model, IReadOnlyList<string> checkpoints, Func<Device> openEngine)
    {
        LearnedModel? asked = model is null ? null
            : LearnedDynamicsComponent.Models.TryGetValue(model, out var named) ? named
            : throw new UserError($"--model: unknown model \"{model}\" (available: {string.Join(", ", LearnedDynamicsComponent.Models.Keys)})");
        var files = checkpoints.Select(c => LearnedDynamicsComponent.Inspect(c, problem => new UserError($"--checkpoint {c}: {problem}"))).ToList();
        if (files.Count > 0)
        {
            if (asked == LearnedModel.Exact) throw new UserError("--model exact takes no --checkpoint (drop one of them)");
            foreach (var (file, held) in files)
                if (asked is { } kind && held != kind)
                    throw new UserError($"--checkpoint {file}: holds a {LearnedDynamicsComponent.Name(held)}, but --model says {model}");
        }
        else if (scene.Find<LearnedDynamicsComponent>() is { Checkpoint: { } file } component && asked is null or not LearnedModel.Exact)
        {
            if (asked is { } kind && kind != component.Model)
                throw new UserError($"--model {model}: the scene's LearnedDynamics checkpoint {file} holds a {LearnedDynamicsComponent.Name(component.Model)}; give --checkpoint");
            files.Add((file, component.Model));
        }
        else if (asked is { } kind && kind != LearnedModel.Exact)
            throw new UserError($"--model {model} needs --checkpoint (a train dynamics run folder or its {LearnedDynamicsComponent.ModelFile})");
        if (files.Count == 0) return new LearnedTwins(null, [new ExactTwin(scene, pairs)]);

        var engine = openEngine();
        var twins = new List<ILearnedTwin>();
        try
        {
            foreach (var (file, _) in files)
            {
                var trained = DynamicsCheckpoint.Load(engine, file);
                twins.Add(new TrainedTwin(trained, TrainedTwin.CheckpointName(file)));
                if (2 * trained.Degrees != scene.StateSize)
                    throw new UserError($"{file}: the model has d = {trained.Degrees}, but the scene {scene.Settings.Name} has states of size {scene.StateSize}");
            }
            return new LearnedTwins(engine, twins);
        }
        catch
        {
            foreach (var t in twins.OfType<IDisposable>()) t.Dispose();
            engine.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var t in All.OfType<IDisposable>()) t.Dispose();
        engine?.Dispose();
    }
}
