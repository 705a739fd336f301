using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeJepa.Core.IO;
using WeJepa.Reports;
using WeJepa.Training.Probes;
using WeJepa.Training.Runs;

namespace WeJepa.Training.Study;

/// <summary>
/// The study's report folder: <c>study.md</c> (setup, the probe table, pretraining and throughput, what the numbers say,
/// the charts), <c>study.json</c> (every number), <c>r2_angle.png</c> and <c>r2_omega.png</c> (ridge R² per encoder and
/// feature source) and <c>loss.png</c> (the three pretraining losses).
/// </summary>
public static class StudyReport
{
    public static readonly string[] Files = ["study.md", "study.json", "r2_angle.png", "r2_omega.png", "loss.png"];
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    /// <summary>The throughput acceptance: a run's images/s at least this fraction of the bare step's.</summary>
    public const double ThroughputTarget = 0.9;

    public static void Write(string outDir, StudyResult result, string reproduce)
    {
        AtomicFile.EnsureFolder(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, Files[1]), Json(result).ToJsonString(Indented) + "\n");
        ChartFile.Save(Bars(result, angle: true), Path.Combine(outDir, Files[2]));
        ChartFile.Save(Bars(result, angle: false), Path.Combine(outDir, Files[3]));
        ChartFile.Save(Losses(result), Path.Combine(outDir, Files[4]));
        AtomicFile.WriteAllText(Path.Combine(outDir, Files[0]), Markdown(result, reproduce));
    }

    /// <summary>The probe table (ridge and SGD R² on the held-out episodes), as printed and as in study.md.</summary>
    public static string Table(StudyResult result)
    {
        var lines = new List<string>
        {
            "| encoder | features | pooling | dim | ridge R² angle | ridge R² ω | SGD R² angle | SGD R² ω |",
            "|---|---|---|---:|---:|---:|---:|---:|",
        };
        foreach (var run in result.Runs)
            foreach (var p in run.Probes)
                lines.Add($"| {run.Model.Name} | {p.Source} | {p.PoolingName} | {p.Dim} | {F(p.RidgeAngle)} | {F(p.RidgeOmega)} | {F(p.SgdAngle)} | {F(p.SgdOmega)} |");
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>Steps, images, minutes and throughput per run.</summary>
    public static string PretrainingTable(StudyResult result)
    {
        var lines = new List<string>
        {
            "| encoder | steps | images seen | minutes | final loss | teacher std | teacher rank | run img/s (data incl.) | data share | bare step | bare img/s | run ÷ bare |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        };
        foreach (var r in result.Runs)
        {
            var last = r.Metrics.Count > 0 ? r.Metrics[^1] : null;
            var t = r.Throughput;
            lines.Add($"| {r.Model.Name} | {r.Steps} | {r.ImagesSeen:N0} | {r.PretrainMinutes:F1} | {(last is null ? "—" : last.Loss.ToString("G4", Inv))} | " +
                      $"{(last is null ? "—" : last.StdTeacher.ToString("G3", Inv))} | {(last is null ? "—" : last.RankTeacher.ToString("F1", Inv))} | " +
                      $"{t.RunImagesPerSecond:F1} | {t.DataFraction:P1} | {t.BareStepSeconds * 1000:F0} ms | {t.BareImagesPerSecond:F1} | {t.Ratio:F2} |");
        }
        return string.Join('\n', lines) + "\n";
    }

    /// <summary>What the numbers say, sentence by sentence, from the numbers alone.</summary>
    public static IReadOnlyList<string> Findings(StudyResult result)
    {
        var lines = new List<string>();
        foreach (var r in result.Runs)
        {
            var x = r.RawPixels;
            // an R² at or under 0 predicts no better than the mean: "better" there only means less wrong
            string Versus(string what, double a, double b) => $"{what} {F(a)} vs {F(b)} ({(Math.Max(a, b) <= 0 ? "neither holds it: R² ≤ 0" : StudyRun.Wins(a, b) ? "better" : "not better")})";
            foreach (var pooling in StudyPlan.Poolings)
            {
                var (p, z) = (r.Pretrained(pooling), r.RandomInit(pooling));
                lines.Add($"{r.Model.Name}, {p.PoolingName} pooling: pretrained vs random init — {Versus("angle", p.RidgeAngle, z.RidgeAngle)}, {Versus("ω", p.RidgeOmega, z.RidgeOmega)}: " +
                          (r.BeatsRandomInit(pooling) ? "beats its random-init twin on both." : "does **not** beat its random-init twin on both."));
            }
            var best = StudyPlan.Poolings.Select(r.Pretrained).ToList();
            var (angle, omega) = (best.Max(p => p.RidgeAngle), best.Max(p => p.RidgeOmega));
            string AgainstPixels(string what, double ours, double pixels) => Math.Max(ours, pixels) <= 0 ? $"on {what} neither reads anything (R² ≤ 0)"
                : StudyRun.Wins(ours, pixels) ? $"the pretrained features beat the raw pixels on {what} ({F(ours)} vs {F(pixels)})"
                : $"raw pixels still win on {what} ({F(pixels)} vs {F(ours)})";
            lines.Add($"{r.Model.Name} against the raw pixels ({x.Dim} dims), each target under the better pooling: " +
                      $"{AgainstPixels("angle", angle, x.RidgeAngle)}; {AgainstPixels("ω", omega, x.RidgeOmega)}.");
            var t = r.Throughput;
            lines.Add($"{r.Model.Name}: training ran at {t.RunImagesPerSecond:F1} images/s with live data feeding ({t.DataFraction:P1} of the step time waiting for frames), " +
                      $"{t.Ratio:P0} of the bare step's {t.BareImagesPerSecond:F1} images/s: {(t.Ratio >= ThroughputTarget ? "within" : "outside")} the 10% target" +
                      (t.Ratio > 1.05 ? " (above 100%: the bare step, a fresh model's median over a few steps, ran slower than the run's average step, or the load changed between the two)." : "."));
        }
        return lines;
    }

    static string Markdown(StudyResult result, string reproduce)
    {
        var plan = result.Plan;
        var first = result.Runs[0].Config;
        var m = first.Model;
        var sb = new StringBuilder();
        sb.AppendLine("# JEPA study: pretrained vs random init vs raw pixels").AppendLine();
        sb.AppendLine($"Reproduce: `{reproduce}` ({result.TotalMinutes:F1} min in all here; load average {result.LoadBefore} before, {result.LoadAfter} after; {result.Device}).").AppendLine();
        sb.AppendLine($"- Scene: {result.SceneSource} — pendulums with per-environment colour jitter and rod-length scaling, and per-pixel Gaussian sensor noise.");
        sb.AppendLine($"- Pretraining: live frames of the scene (seed {first.Hardware.Seed} of the runs; the scene's episodes), {plan.Minutes:G3} min of budget split " +
                      $"{string.Join(", ", plan.Models.Select(x => $"{x.Name} {x.Share:P0}"))}; each run's steps are its share ÷ a measured step.");
        sb.AppendLine($"- Encoder: {m.ImageSize}×{m.ImageSize} frames, patch {m.PatchSize}, D {m.EmbedDim}, depth {m.Depth}, heads {m.Heads}; predictor {m.PredictorDim}×{m.PredictorDepth}; " +
                      $"video JEPA: clips of {m.Frames} frames, tubelet {m.TubeletSize}. Batch: {string.Join(", ", result.Runs.Select(r => $"{r.Model.Name} {r.Config.Data.BatchSize}×{r.Config.FramesPerSample}"))}.");
        var probe = result.Runs[0].Comparisons[0].Header;
        sb.AppendLine($"- Probes: a held-out dataset ({result.DataDir}, the scene under another seed: none of its episodes was pretrained on{(result.DataReused ? "; reused" : "")}), " +
                      $"split by episode: {probe["train_samples"]} samples of {probe["train_episodes"]} episodes to fit, {probe["validation_samples"]} of {probe["validation_episodes"]} to score. " +
                      $"Ridge (closed form) and an SGD linear head ({plan.ProbeEpochs} epochs) to sin θ, cos θ (angle: their mean R²) and ω, on the encoder's tokens " +
                      "mean-pooled (D features, the seed's probe) and kept whole (pooling `tokens`: N·D features, where in the frame and when in the clip); " +
                      "the video JEPA and its rows on clips ending at the scored frame.").AppendLine();
        sb.AppendLine("## Probes (R² on held-out episodes)").AppendLine().Append(Table(result)).AppendLine();
        sb.AppendLine("![ridge R² angle](r2_angle.png)").AppendLine().AppendLine("![ridge R² ω](r2_omega.png)").AppendLine();
        sb.AppendLine("## Pretraining and throughput").AppendLine().Append(PretrainingTable(result)).AppendLine();
        sb.AppendLine("Run img/s: images over the run's whole wall time (live simulation and rendering, logging, checks, the final validation and checkpoint). " +
                      "Bare step: the same config's step on one fixed batch and mask draw (forward, backward, clip, AdamW, EMA), median, timed right after the run.").AppendLine();
        sb.AppendLine("![pretraining loss](loss.png)").AppendLine();
        sb.AppendLine("## What the numbers say").AppendLine();
        foreach (var line in Findings(result)) sb.AppendLine($"- {line}");
        return sb.ToString();
    }

    static JsonObject Json(StudyResult result)
    {
        var plan = result.Plan;
        return new JsonObject
        {
            ["scene"] = result.SceneSource, ["data"] = Path.GetFullPath(result.DataDir), ["data_reused"] = result.DataReused,
            ["budget_minutes"] = plan.Minutes, ["quick"] = plan.Quick, ["seed"] = plan.Seed, ["total_minutes"] = result.TotalMinutes,
            ["device"] = result.Device, ["load_average_before"] = result.LoadBefore, ["load_average_after"] = result.LoadAfter,
            ["throughput_target"] = ThroughputTarget,
            ["runs"] = new JsonArray(result.Runs.Select(r => (JsonNode?)new JsonObject
            {
                ["name"] = r.Model.Name, ["kind"] = r.Model.Kind, ["share"] = r.Model.Share, ["run_dir"] = Path.GetFullPath(r.RunDir),
                ["steps"] = r.Steps, ["images_per_step"] = r.ImagesPerStep, ["images_seen"] = r.ImagesSeen,
                ["calibration_step_seconds"] = r.CalibrationStepSeconds, ["pretrain_minutes"] = r.PretrainMinutes,
                ["final_loss"] = r.Metrics.Count > 0 ? MetricsLog.Number(r.Metrics[^1].Loss) : null,
                ["final_val_loss"] = r.Metrics.Count > 0 ? MetricsLog.Number(r.Metrics[^1].ValidationLoss) : null,
                ["teacher_std"] = r.Metrics.Count > 0 ? MetricsLog.Number(r.Metrics[^1].StdTeacher) : null,
                ["teacher_rank"] = r.Metrics.Count > 0 ? MetricsLog.Number(r.Metrics[^1].RankTeacher) : null,
                ["throughput"] = new JsonObject
                {
                    ["run_images_per_s"] = r.Throughput.RunImagesPerSecond, ["data_fraction"] = r.Throughput.DataFraction,
                    ["bare_step_seconds"] = r.Throughput.BareStepSeconds, ["bare_images_per_s"] = r.Throughput.BareImagesPerSecond,
                    ["ratio"] = r.Throughput.Ratio, ["within_target"] = r.Throughput.Ratio >= ThroughputTarget,
                },
                ["beats_random_init"] = new JsonObject(StudyPlan.Poolings.Select(pl =>
                    KeyValuePair.Create(pl.Name(), (JsonNode?)r.BeatsRandomInit(pl)))),
                ["probes"] = new JsonArray(r.Probes.Select(p => (JsonNode?)new JsonObject
                {
                    ["features"] = p.Source, ["pooling"] = p.Pooling?.Name(), ["dim"] = p.Dim, ["ridge_r2_angle"] = p.RidgeAngle, ["ridge_r2_omega"] = p.RidgeOmega,
                    ["sgd_r2_angle"] = p.SgdAngle, ["sgd_r2_omega"] = p.SgdOmega,
                }).ToArray()),
                ["probe_comparisons"] = new JsonArray(r.Comparisons.Select(c => (JsonNode?)ProbeReport.Json(c.Rows, c.Targets, c.Header)).ToArray()),
                ["config"] = JsonNode.Parse(r.Config.ToJson()),
            }).ToArray()),
            ["findings"] = new JsonArray(Findings(result).Select(f => (JsonNode?)f).ToArray()),
        };
    }

    /// <summary>Ridge R² as outlined bars: one group per encoder (left to right as in the table), one colour per feature source and pooling.</summary>
    static Chart Bars(StudyResult result, bool angle)
    {
        const double floor = -0.2;
        var target = angle ? "angle (sin θ, cos θ)" : "ω";
        var bars = result.Runs[0].Probes.Select(p => (p.Source, p.Pooling)).ToList();
        int width = bars.Count + 1;
        var groups = string.Join(" | ", result.Runs.Select((r, g) => $"{r.Model.Name} {width * g}–{width * g + bars.Count - 1}"));
        var chart = new Chart($"ridge R² of {target}, held-out episodes", groups, "R²")
        { YRange = (floor, 1.05), XRange = (-0.5, result.Runs.Count * width - 1.5) };
        for (int s = 0; s < bars.Count; s++)
        {
            var (xs, ys) = (new List<double>(), new List<double>());
            for (int g = 0; g < result.Runs.Count; g++)
            {
                var p = result.Runs[g].Probes.Single(q => (q.Source, q.Pooling) == bars[s]);
                double v = Math.Max(floor, angle ? p.RidgeAngle : p.RidgeOmega), x0 = g * width + s - 0.4, x1 = x0 + 0.8;
                xs.AddRange([x0, x0, x1, x1, x0, double.NaN]);   // an outlined bar from 0 to v (down when v < 0)
                ys.AddRange([0, v, v, 0, 0, double.NaN]);
            }
            var label = bars[s].Pooling is { } pl ? $"{bars[s].Source}, {pl.Name()}" : bars[s].Source;
            chart.Line(label, xs.ToArray(), ys.ToArray(), ChartStyle.Default.Palette[s % ChartStyle.Default.Palette.Count]);
        }
        chart.Line("", [-0.5, result.Runs.Count * width - 1.5], [0, 0], new Rgb8(128, 128, 128), Dash.Dotted);
        return chart;
    }

    static Chart Losses(StudyResult result)
    {
        var chart = new Chart("pretraining loss (each JEPA's own loss; x: fraction of its run)", "fraction of the run", "loss") { LogY = true };
        foreach (var r in result.Runs)
        {
            var points = r.Metrics.Where(x => x.Loss > 0 && double.IsFinite(x.Loss)).ToList();
            if (points.Count > 0) chart.Line(r.Model.Name, points.Select(x => (double)x.Step / r.Steps).ToArray(), points.Select(x => x.Loss).ToArray());
        }
        return chart;
    }

    static string F(double v) => v.ToString("F3", Inv);
}
