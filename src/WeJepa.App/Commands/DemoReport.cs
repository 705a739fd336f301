using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Reports;
using WeJepa.Training.Loop;
using WeJepa.Training.Rollouts;

namespace WeJepa.App.Commands;

/// <summary>
/// The demo's report folder: <c>metrics.json</c> (the numbers that decide whether the loop works: θ MSE and median
/// energy drift of the pixel pipeline beside the oracle and the MLP baseline, the head's R², the host traffic),
/// <c>report.md</c> (those numbers and the pictures), the training curves, and the rollout pictures of the pixel
/// pipeline (<see cref="RolloutCharts"/>: θ(t), energy, phase portrait, a strip of frames rendered by the simulator,
/// rows true | learned).
/// </summary>
static class DemoReport
{
    public const string RunFolder = "run";
    public const double TargetThetaMse = 0.1, TargetEnergyDrift = 2e-3;
    public static readonly string[] Files = ["report.md", "metrics.json", "encoder_loss.png", "dynamics_loss.png", .. RolloutCharts.Files];

    public static void Write(AtomicDirectory dir, Scene scene, LoopConfig config, LoopResult result, string runDir, double seconds)
    {
        Curves(dir, result);
        using (var device = DeviceOption.Open(config.Hardware.Device))
        using (var model = DynamicsCheckpoint.Load(device, Path.Combine(runDir, LoopTrainer.DynamicsDir)))
            RolloutCharts.Write(dir, result.Pixels.Run, scene, model);
        var metrics = Metrics(scene, config, result, seconds);
        AtomicFile.WriteAllText(dir.FilePath("metrics.json"), metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        AtomicFile.WriteAllText(dir.FilePath("report.md"), Markdown(scene, config, result, seconds));
    }

    public static string Summary(LoopResult r)
    {
        string Line(string name, LoopEvaluation? e) => e is null ? "" : $"\n  {name,-28} θ MSE {e.ThetaMse,9:G3} rad²   median energy drift {e.MedianEnergyDrift,9:G3}";
        return $"over {r.Pixels.Horizon} steps of {r.Pixels.Run.Batch} held-out episodes (targets: θ MSE ≤ {TargetThetaMse}, drift ≤ {TargetEnergyDrift}):" +
               Line($"from pixels ({r.EncoderName})", r.Pixels) + Line("oracle (true states)", r.Oracle) + Line("baseline (mlp, from pixels)", r.Baseline) +
               $"\n  frames copied to the host: {r.Traffic.FrameBytesPerStep:F0} B per step (host traffic {r.Traffic.BytesPerStep:F0} B per step; a batch of frames is {r.Traffic.FrameBatchBytes:N0} B)";
    }

    static void Curves(AtomicDirectory dir, LoopResult r)
    {
        var encoder = new Chart($"encoder pretraining ({r.EncoderName}): JEPA loss", "step", "loss") { LogY = true };
        var points = r.EncoderMetrics.Where(m => m.Loss > 0 && double.IsFinite(m.Loss)).ToList();
        if (points.Count > 0) encoder.Line("train", points.Select(m => (double)m.Step).ToArray(), points.Select(m => m.Loss).ToArray());
        encoder.SavePng(dir.FilePath("encoder_loss.png"));
        var dynamics = new Chart("dynamics on the estimated states: loss mean((f(x) − ẋ)²)", "step", "loss") { LogY = true };
        var steps = r.DynamicsMetrics.Where(m => m.TrainLoss > 0 && double.IsFinite(m.TrainLoss)).ToList();
        if (steps.Count > 0) dynamics.Line("train", steps.Select(m => (double)m.Step).ToArray(), steps.Select(m => m.TrainLoss).ToArray());
        dynamics.SavePng(dir.FilePath("dynamics_loss.png"));
    }

    static JsonObject Evaluation(LoopEvaluation e) => new()
    {
        [$"theta_mse_{e.Horizon}"] = e.ThetaMse,
        [$"energy_drift_median_{e.Horizon}"] = e.MedianEnergyDrift,
        ["initial_theta_rmse"] = e.InitialThetaError,
        ["initial_omega_rmse"] = e.InitialOmegaError,
    };

    static JsonObject Metrics(Scene scene, LoopConfig config, LoopResult r, double seconds)
    {
        var last = r.Rounds[^1];
        var metrics = new JsonObject
        {
            ["scene"] = scene.Settings.Name,
            ["config"] = config.Source,
            ["encoder"] = r.EncoderName,
            ["dynamics_model"] = config.Dynamics.Model,
            ["horizon_steps"] = r.Pixels.Horizon,
            ["evaluation_episodes"] = r.Pixels.Run.Batch,
            ["training_episodes"] = last.Episodes,
            ["fit_frames"] = config.Episodes.FitFrames,
            ["seconds"] = Math.Round(seconds, 1),
            ["pixels"] = Evaluation(r.Pixels),
            ["head"] = new JsonObject
            {
                ["r2_sin_theta"] = last.HeadRSquared[0],
                ["r2_cos_theta"] = last.HeadRSquared[1],
                ["r2_omega"] = last.HeadRSquared[2],
                ["frame_theta_rmse"] = last.FrameThetaRmse,
            },
            ["host_traffic"] = new JsonObject
            {
                ["bytes_per_step"] = r.Traffic.BytesPerStep,
                ["frame_bytes_per_step"] = r.Traffic.FrameBytesPerStep,
                ["frame_batch_bytes"] = r.Traffic.FrameBatchBytes,
                ["steps"] = r.Traffic.Steps,
            },
            ["targets"] = new JsonObject
            {
                ["theta_mse"] = TargetThetaMse,
                ["energy_drift"] = TargetEnergyDrift,
                ["theta_mse_met"] = r.Pixels.ThetaMse <= TargetThetaMse,
                ["energy_drift_met"] = r.Pixels.MedianEnergyDrift <= TargetEnergyDrift,
            },
        };
        if (r.Oracle is { } o) metrics["oracle"] = Evaluation(o);
        if (r.Baseline is { } b) metrics["baseline_mlp"] = Evaluation(b);
        return metrics;
    }

    static string Markdown(Scene scene, LoopConfig config, LoopResult r, double seconds)
    {
        string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
        var last = r.Rounds[^1];
        var e = config.Episodes;
        string Row(string name, LoopEvaluation? x, string start) => x is null ? "" :
            $"| {name} | {F(x.ThetaMse)} | {F(x.MedianEnergyDrift)} | {start} |\n";
        return $"""
            # WeJepa.Sim demo: the closed loop on `{scene.Settings.Name}`

            Live simulator → frames in shared memory → {r.EncoderName} encoder → ridge state head → {config.Dynamics.Model.ToUpperInvariant()} trained on the
            *estimated* states → held-out episodes rolled out from initial states fitted to their first {e.FitFrames} frames.
            Config `{config.Source}`; {last.Episodes} training episodes × {e.Frames} frames; {r.Pixels.Run.Batch} held-out episodes; {seconds:F0} s.

            ## Does the loop work? ({r.Pixels.Horizon} steps, dt {scene.Settings.Dt} s)

            | model | θ MSE (rad²) | median relative energy drift | initial state |
            |---|---|---|---|
            {Row($"from pixels ({r.EncoderName} + {config.Dynamics.Model})", r.Pixels, "fitted to the first frames")}{Row($"oracle ({config.Dynamics.Model} on true states)", r.Oracle, "true")}{Row("baseline (mlp, from pixels)", r.Baseline, "fitted to the first frames")}
            Targets: θ MSE ≤ {TargetThetaMse} rad², drift ≤ {TargetEnergyDrift}: **{(r.Pixels.ThetaMse <= TargetThetaMse ? "met" : "missed")}** / **{(r.Pixels.MedianEnergyDrift <= TargetEnergyDrift ? "met" : "missed")}**.
            Initial-state error (RMS over held-out episodes): θ {F(r.Pixels.InitialThetaError)} rad, ω {F(r.Pixels.InitialOmegaError)} rad/s.

            ## State head (ridge on frame features), R² on held-out episodes

            | sin θ | cos θ | ω (one frame) | θ RMSE per frame (rad) |
            |---|---|---|---|
            | {F(last.HeadRSquared[0])} | {F(last.HeadRSquared[1])} | {F(last.HeadRSquared[2])} | {F(last.FrameThetaRmse)} |

            ω cannot be read from one frame (its R² says so); the loop takes it from the angles over time: Savitzky–Golay
            derivatives for training, a least-squares fit through the learned dynamics for the initial state.

            ## Zero copy

            Frames copied to the host: **{r.Traffic.FrameBytesPerStep:F0} B per step** over {r.Traffic.Steps} steady-state steps (all host traffic:
            {r.Traffic.BytesPerStep:F0} B per step — states read back for supervision, features for the head; one batch of frames is {r.Traffic.FrameBatchBytes:N0} B).

            ## Pictures

            Frames rendered by the simulator, rows true | learned (from pixels), per held-out episode:

            ![strip](strip.png)

            ![θ(t)](theta.png)
            ![energy](energy.png)
            ![phase portrait](phase.png)
            ![encoder pretraining](encoder_loss.png)
            ![dynamics training](dynamics_loss.png)

            ## Per round

            | round | episodes | head R² sin / cos / ω | θ MSE | energy drift |
            |---|---|---|---|---|
            {string.Concat(r.Rounds.Select(x => $"| {x.Round + 1} | {x.Episodes} | {F(x.HeadRSquared[0])} / {F(x.HeadRSquared[1])} / {F(x.HeadRSquared[2])} | {F(x.Score.ThetaMse)} | {F(x.Score.MedianEnergyDrift)} |\n"))}
            The run (encoder and dynamics checkpoints, metrics.jsonl) is in `run/`.

            """;
    }
}
