using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Learning.Weights;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Data;
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

    /// <summary>
    /// Rolls <paramref name="model"/> out from <paramref name="initial"/> (B, S) = (q, v) and the scene's physics (RK4, 10 substeps)
    /// beside it; trajectory i is environment i's system. A <see cref="DynamicsModel.Canonical"/> model rolls out in (q, p) and
    /// its states are mapped back to (q, v) (<see cref="CanonicalMomenta"/>); its learned H is evaluated where it lives, in (q, p).
    /// </summary>
    public static RolloutRun Of(DynamicsModel model, Scene scene, float[] initial, double dt, int steps, RolloutIntegrator integrator,
        IProgress<long>? progress = null)
    {
        int s = scene.StateSize, b = initial.Length / s, d = s / 2;
        if (2 * model.Degrees != s) throw new UserError($"the model has d = {model.Degrees} but the scene's states have size {s}");
        IDynamics SystemOf(int env) => Environments.Dynamics(scene, env);
        var start = model.Canonical ? CanonicalMomenta.ToCanonical(SystemOf, initial, 1, d) : initial;
        var own = BatchRollout.Run(model, start, dt, steps, integrator, progress);
        var learned = model.Canonical ? CanonicalMomenta.FromCanonical(SystemOf, own, steps + 1, d) : own;
        var truth = EnergyMetrics.TrueRollout(SystemOf, initial, s, dt, steps, substeps: 10);
        var system = SystemOf(0);
        return new RolloutRun(b, steps, s, dt, learned, truth, EnergyMetrics.TrueEnergy(system, learned, b, steps + 1),
            EnergyMetrics.TrueEnergy(system, truth, b, steps + 1), EvaluateH(model, own, b, steps + 1, dt));
    }

    /// <summary>The learned H along states (B, frames, 2d) in the model's coordinates (at each frame's time k·dt for a time-input model).</summary>
    static double[]? EvaluateH(DynamicsModel model, float[] states, int b, int frames, double dt)
    {
        var device = model.Parameters.Device;
        var input = model.TimeInput ? TrainingSplit.WithTime(states, b, frames, 2 * model.Degrees, dt) : states;
        return new Tape(device).Step(() =>
        {
            var h = model.LearnedEnergy(Tensor.FromArray(device, input, b * frames, model.InputSize));
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

/// <summary>
/// A trained model read back from a run folder or its <c>checkpoint.safetensors</c> (or its <c>model.safetensors</c>, which
/// carries the same metadata): kind, width and d from <c>model</c>, <c>hidden</c>, <c>degrees</c>; <c>time_input</c>
/// ("true": the net's last input is the time; absent: false) and <c>momentum</c> ("canonical": the model works in
/// (q, p = M(q)·v); absent or "velocity": in the states' own (q, v)).
/// </summary>
public static class DynamicsCheckpoint
{
    public const string TimeInputKey = "time_input", MomentumKey = "momentum", CanonicalMomentum = "canonical", VelocityMomentum = "velocity";

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
        bool timeInput = st.Metadata.GetValueOrDefault(TimeInputKey, "false") switch
        {
            "true" => true,
            "false" => false,
            var other => throw new UserError($"{file}: metadata {TimeInputKey} = '{other}'; expected true or false"),
        };
        bool canonical = st.Metadata.GetValueOrDefault(MomentumKey, VelocityMomentum) switch
        {
            CanonicalMomentum => true,
            VelocityMomentum => false,
            var other => throw new UserError($"{file}: metadata {MomentumKey} = '{other}'; expected {CanonicalMomentum} or {VelocityMomentum}"),
        };
        DynamicsModel model;
        try { model = DynamicsModel.Create(device, parsed, Int("degrees"), Int("hidden"), 0, timeInput, canonical); }
        catch (ArgumentException e) { throw new UserError($"{file}: {e.Message}"); }
        try { WeightsFile.Load(file, model.Parameters, model.Buffers, new WeightsLoadOptions(AllowUnexpected: true)); }
        catch { model.Dispose(); throw; }
        return model;
    }
}
