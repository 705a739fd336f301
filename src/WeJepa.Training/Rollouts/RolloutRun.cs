using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Learning.Weights;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Dynamics;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Rollouts;

/// <summary>
/// A learned rollout beside the reference physics from the same initial states: states (B, T+1, S) of both,
/// the true energy of both (B, T+1), and the learned H along the learned trajectories when the model has one.
/// </summary>
public sealed record RolloutRun(int Batch, int Steps, int StateSize, double Dt, float[] Learned, float[] Truth,
    double[] LearnedEnergy, double[] TrueEnergy, double[]? LearnedH)
{
    public int Frames => Steps + 1;

    /// <summary>Rolls <paramref name="model"/> out from <paramref name="initial"/> (B, S) and the scene's physics (RK4, 10 substeps) beside it.</summary>
    public static RolloutRun Of(DynamicsModel model, Scene scene, float[] initial, double dt, int steps, RolloutIntegrator integrator,
        IProgress<long>? progress = null)
    {
        int s = scene.StateSize, b = initial.Length / s;
        if (2 * model.Degrees != s) throw new UserError($"the model has d = {model.Degrees} but the scene's states have size {s}");
        var learned = BatchRollout.Run(model, initial, dt, steps, integrator, progress);
        var truth = EnergyMetrics.TrueRollout(env => Environments.Dynamics(scene, env), initial, s, dt, steps, substeps: 10);
        var system = Environments.Dynamics(scene, 0);
        return new RolloutRun(b, steps, s, dt, learned, truth, EnergyMetrics.TrueEnergy(system, learned, b, steps + 1),
            EnergyMetrics.TrueEnergy(system, truth, b, steps + 1), EvaluateH(model, learned, s));
    }

    static double[]? EvaluateH(DynamicsModel model, float[] states, int s)
    {
        var device = model.Parameters.Device;
        return new Tape(device).Step(() =>
        {
            var h = model.LearnedEnergy(Tensor.FromArray(device, states, states.Length / s, s));
            return h is null ? null : Array.ConvertAll(h.ToArray(), v => (double)v);
        });
    }

    /// <summary>The numbers of <c>metrics.json</c>: MSE at horizons, true-energy drift (learned and reference), learned-H drift.</summary>
    public SortedDictionary<string, double> Metrics()
    {
        var mse = EnergyMetrics.MsePerFrame(Learned, Truth, Batch, Frames, StateSize);
        var m = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var h in new[] { 1, 10, 100, 1000, 10000 }.Where(h => h <= Steps).Append(Steps).Distinct())
            m[$"mse_at_step_{h.ToString(CultureInfo.InvariantCulture)}"] = mse[h];
        m["mse_mean"] = mse.Average();
        m["relative_energy_drift_learned"] = EnergyMetrics.MeanRelativeDrift(LearnedEnergy, Batch, Frames);
        m["relative_energy_drift_reference"] = EnergyMetrics.MeanRelativeDrift(TrueEnergy, Batch, Frames);
        if (LearnedH is not null) m["relative_learned_h_drift"] = EnergyMetrics.MeanRelativeDrift(LearnedH, Batch, Frames);
        return m;
    }
}

/// <summary>A trained model read back from a run folder or its <c>checkpoint.safetensors</c> (kind, width and d from its metadata).</summary>
public static class DynamicsCheckpoint
{
    public static DynamicsModel Load(Device device, string path)
    {
        var file = Directory.Exists(path) ? Path.Combine(path, DynamicsTrainer.CheckpointFile) : path;
        var st = Safetensors.Read(file);
        int Int(string key) => st.Metadata.TryGetValue(key, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var i) && i > 0
            ? i : throw new UserError($"{file}: no valid \"{key}\" in its metadata (expected a checkpoint written by train dynamics)");
        if (!st.Metadata.TryGetValue("model", out var kind)) throw new UserError($"{file}: no \"model\" in its metadata (expected a checkpoint written by train dynamics)");
        DynamicsModelKind parsed;
        try { parsed = DynamicsModel.Parse(kind); }
        catch (ArgumentException e) { throw new UserError($"{file}: {e.Message}"); }
        var model = DynamicsModel.Create(device, parsed, Int("degrees"), Int("hidden"), 0);
        try { WeightsFile.Load(file, model.Parameters, model.Buffers, new WeightsLoadOptions(AllowUnexpected: true)); }
        catch { model.Dispose(); throw; }
        return model;
    }
}
