using System.Diagnostics;
using System.Text.Json.Nodes;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Training.Jepa;
using WeJepa.Training.Probes;
using WeJepa.Training.Runs;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Study;

/// <summary>How the study shows its progress: a bar per phase (the CLI draws Spectre bars) and one-line notes.</summary>
public interface IStudyProgress
{
    T Run<T>(string description, long total, Func<IProgress<long>, T> work, Func<string>? status = null);
    void Say(string line);
}

/// <summary>
/// The JEPA study: the held-out probe dataset (<see cref="StudyData"/>), then for each JEPA of the plan — calibrate (a
/// few steps of the same config, timed, thrown away), pretrain on live frames for the steps its share of the budget
/// allows (<see cref="JepaTrainer"/>), time its bare step (<see cref="BareStep"/>), probe it against its random-init twin
/// and the raw pixels (<see cref="ProbeComparison"/>). Runs go to <c>OUT/runs/KIND/</c>.
/// </summary>
public static class JepaStudy
{
    public const string RunsFolder = "runs";
    /// <summary>
    /// Steps of the throwaway run; steps 3–11 are timed (12, its last, is logged). The first steps run partly unoptimised (.NET's tiered JIT
    /// promotes hot code after ~30 calls): timed over steps 2–3 a study step measured 0.89 s where the run then took
    /// 0.35 s per step, and the run filled 2.5 of its 6.7 minutes. The run's logged steps (one in
    /// <see cref="StudyPlan.LogEvery"/>, diagnostics included) are left to the share's margin.
    /// </summary>
    const int CalibrationSteps = 12, CalibrationFrom = 2, CalibrationTo = 11;
    /// <summary>Of a run's share, the part its steps are sized to fill: the rest covers model build, validation and the checkpoint.</summary>
    const double StepFill = 0.95;

    public static StudyResult Run(Device device, StudyPlan plan, Scene scene, string sceneYaml, string sceneFile, string dataDir, string outDir, IStudyProgress ui)
    {
        var clock = Stopwatch.StartNew();
        string loadBefore = LoadAverage();
        var dataset = StudyData.Plan(scene, sceneYaml, plan);
        var difference = StudyData.Difference(dataDir, dataset);
        int written = ui.Run($"probe dataset {dataset.Episodes}×{dataset.Steps} frames (seed {dataset.Scene.Settings.Seed})", dataset.TotalFrames,
            p => StudyData.Ensure(dataDir, dataset, replace: difference is not null, p));
        bool reused = written == 0;
        ui.Say(reused ? $"study: reusing the probe dataset in {dataDir}/ (same meta.json identity, shards intact)"
            : $"study: wrote the probe dataset to {dataDir}/ ({written} shard(s){(difference is null ? "" : $"; it held another dataset: {difference} differed")})");
        var runs = new List<StudyRun>();
        foreach (var model in plan.Models)
        {
            double share = plan.Minutes * 60 * model.Share;
            var runDir = Path.Combine(outDir, RunsFolder, model.Kind);
            var started = Stopwatch.StartNew();
            double stepSeconds = Calibrate(device, plan, model, sceneFile, Path.Combine(outDir, RunsFolder, $".calibrate-{model.Kind}"), ui);
            long steps = Math.Max(plan.MinSteps, (long)((share * StepFill - started.Elapsed.TotalSeconds) / stepSeconds));
            var config = plan.Config(model, sceneFile, steps, runDir);
            ui.Say($"study: {model.Name}: a step takes {stepSeconds:F2} s, so {steps} steps fill its {share / 60:F1} min share");
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
            var pretrain = Stopwatch.StartNew();
            double imagesPerSecond, dataFraction;
            IReadOnlyList<JepaMetrics> metrics;
            int imagesPerStep;
            using (var trainer = new JepaTrainer(device, config, runDir))
            {
                JepaProgress last = default;
                ui.Run($"pretrain {model.Name}", steps, p =>
                {
                    trainer.Run(resume: false, steps, new Reporter(r => { last = r; p.Report(r.Step); }));
                    return 0;
                }, () => $"loss {last.Loss:G4} {last.ImagesPerSecond:F0} img/s");
                (imagesPerSecond, dataFraction, metrics, imagesPerStep) = (trainer.ImagesPerSecond, trainer.DataFraction, trainer.Metrics.ToList(), trainer.ImagesPerStep);
            }
            double minutes = pretrain.Elapsed.TotalMinutes;
            JepaCharts.Write(runDir, Path.Combine(runDir, MetricsLog.FileName));
            double bare = ui.Run($"bare step {model.Name}", 1, _ => BareStep.MedianSeconds(device, config, plan.BareRepeats));
            var throughput = new StudyThroughput(imagesPerSecond, dataFraction, bare, imagesPerStep / bare);
            var modelFile = Path.Combine(runDir, JepaTrainer.ModelFile);
            var comparisons = StudyPlan.Poolings.Select((pooling, i) => ui.Run($"probe {model.Name} ({pooling.Name()} pooling)", 1,
                _ => ProbeComparison.Run(device, modelFile, [dataDir], compare: true, student: false, plan.ProbeSamples, plan.ProbeEpochs, plan.Seed,
                    pooling: pooling, rawPixels: i == 0))).ToList();
            AtomicFile.WriteAllText(Path.Combine(runDir, "probe.json"), new JsonArray(comparisons
                .Select(c => (JsonNode?)ProbeReport.Json(c.Rows, c.Targets, c.Header)).ToArray()).ToJsonString(StudyReport.Indented) + "\n");
            var probes = new List<StudyProbe>();
            foreach (var (c, pooling) in comparisons.Zip(StudyPlan.Poolings))
            {
                probes.Add(StudyProbe.Of(StudyRun.PretrainedSource, pooling, c.Rows[0], c.Targets));
                probes.Add(StudyProbe.Of(ProbeComparison.RandomInit, pooling, c.Rows[1], c.Targets));
            }
            probes.Add(StudyProbe.Of(ProbeComparison.RawPixels, null, comparisons[0].Rows[2], comparisons[0].Targets));
            var run = new StudyRun(model, config, runDir, steps, imagesPerStep, stepSeconds, minutes, metrics, throughput, probes, comparisons);
            runs.Add(run);
            ui.Say($"study: {model.Name}: {steps} steps in {minutes:F1} min; ridge R² " + string.Join("; ", StudyPlan.Poolings.Select(pl =>
                       $"{pl.Name()} pooling: angle {run.Pretrained(pl).RidgeAngle:F3} (random init {run.RandomInit(pl).RidgeAngle:F3}), " +
                       $"ω {run.Pretrained(pl).RidgeOmega:F3} (random init {run.RandomInit(pl).RidgeOmega:F3})")) + $"; throughput {throughput.Ratio:P0} of the bare step");
        }
        return new StudyResult(plan, scene.Source, dataDir, reused, runs, clock.Elapsed.TotalMinutes, device.ToString() ?? "", loadBefore, LoadAverage());
    }

    /// <summary>Seconds per step of <paramref name="model"/>'s config: the mean of steps 3–11 of a throwaway run (the first ones pay for warm-up).</summary>
    static double Calibrate(Device device, StudyPlan plan, StudyModel model, string sceneFile, string dir, IStudyProgress ui)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        var config = plan.Config(model, sceneFile, CalibrationSteps, dir);
        config.Data.ValidationBatches = 0;   // no validation
        var stamps = new double[CalibrationSteps + 1];
        var watch = Stopwatch.StartNew();
        try
        {
            using var trainer = new JepaTrainer(device, config, dir);
            ui.Run($"calibrate {model.Name}", CalibrationSteps, p =>
            {
                trainer.Run(resume: false, CalibrationSteps, new Reporter(r => { stamps[r.Step] = watch.Elapsed.TotalSeconds; p.Report(r.Step); }));
                return 0;
            });
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        return (stamps[CalibrationTo] - stamps[CalibrationFrom]) / (CalibrationTo - CalibrationFrom);
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), for the report beside every timing.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    sealed class Reporter(Action<JepaProgress> report) : IProgress<JepaProgress>
    {
        public void Report(JepaProgress value) => report(value);
    }
}
