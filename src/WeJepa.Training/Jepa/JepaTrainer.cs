using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Rng;
using WeJepa.Learning;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Weights;
using WeJepa.Training.Distributed;
using WeJepa.Training.Runs;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Jepa;

/// <summary>One logged step of a JEPA run (a line of metrics.jsonl).</summary>
public sealed record JepaMetrics(long Step, double Epoch, double Loss, double? ValidationLoss, double Lr, double WeightDecay, double Momentum,
    double GradNorm, double StepSeconds, double DataSeconds, double ImagesPerSecond, double StdStudent, double StdTeacher, double RankStudent, double RankTeacher);

/// <summary>What the progress bar shows after each step.</summary>
public readonly record struct JepaProgress(long Step, double Loss, double Lr, double Momentum, double ImagesPerSecond);

/// <summary>
/// Pretrains a <see cref="JepaModel"/>: per optimizer step, <c>accumulation_steps</c> micro-batches (each rank its slice of
/// the global micro-batch), backward into the flat gradient buffers, their mean over ranks
/// (<see cref="IGradientReducer.Average"/>), global-norm clipping, AdamW at the cosine lr and weight decay, then the EMA
/// teacher at its momentum. Every random draw is a function of (seed, micro-batch index) and the data position is saved,
/// so a resumed run repeats the uninterrupted one bit for bit. Rank 0 alone writes <c>metrics.jsonl</c>, charts and
/// checkpoints (<see cref="CheckpointFiles"/>); a non-finite loss or gradient is replayed in anomaly mode to name the op,
/// then stops the run (exit 4) with the last good checkpoint in place.
/// </summary>
public sealed class JepaTrainer : IDisposable
{
    public const string ModelFile = "model.safetensors", ConfigFile = "config.yaml";

    readonly JepaConfig config;
    readonly Device device;
    readonly IGradientReducer reducer;
    readonly AdamW optimizer;
    readonly Tape tape;
    readonly ISchedule lr, wd, momentum;
    readonly JepaBatches batches;
    readonly Lazy<VulkanDevice> vulkan = new(() => VulkanDevice.Create());
    readonly CheckpointFiles checkpoints;
    readonly MetricsLog log;
    readonly List<JepaMetrics> metrics = [];
    readonly int micro, first, count;
    readonly Stopwatch sinceLog = new();
    double dataSeconds;   // of the current step: time spent waiting for batches
    long imagesSinceLog;

    public JepaModel Model { get; }
    public string OutDir { get; }
    public long Step { get; private set; }
    public IReadOnlyList<JepaMetrics> Metrics => metrics;
    /// <summary>Images trained per second of wall time over this process's steps, data feeding, logging and checkpoints included.</summary>
    public double ImagesPerSecond { get; private set; }
    /// <summary>The fraction of this process's training time spent waiting for batches (data feeding).</summary>
    public double DataFraction => trainSeconds > 0 ? waitSeconds / trainSeconds : 0;
    double trainSeconds, waitSeconds;
    bool Writes => reducer.Rank == 0;
    /// <summary>Images (frames) per optimizer step over all ranks.</summary>
    public int ImagesPerStep => config.Data.BatchSize * config.FramesPerSample;
    /// <summary>Heard with each warning (collapse); stderr by default.</summary>
    public Action<string> Warn { get; init; } = m => Console.Error.WriteLine("warning: " + m);

    public JepaTrainer(Device device, JepaConfig config, string outDir, IGradientReducer? reducer = null)
    {
        (this.device, this.config, OutDir) = (device, config, outDir);
        this.reducer = reducer ?? new SingleProcess();
        int world = this.reducer.WorldSize;
        micro = config.Data.BatchSize / config.Optimizer.AccumulationSteps;
        if (micro % world != 0)
            throw config.Rejected("data.batch_size", config.Data.BatchSize, $"a micro-batch of {micro} does not split over {world} ranks");
        (count, first) = (micro / world, micro / world * this.reducer.Rank);
        if (count < 2) throw config.Rejected("data.batch_size", config.Data.BatchSize, $"each of {world} ranks needs at least 2 samples per micro-batch");
        Model = new JepaModel(device, config);
        var o = config.Optimizer;
        optimizer = new AdamW(Model.Trained, new AdamWOptions(o.Beta1, o.Beta2, o.Eps));
        lr = new CosineWarmupSchedule(o.Lr, o.FinalLr, o.WarmupSteps, o.Steps, o.StartLr).Validated();
        wd = new CosineWarmupSchedule(o.WeightDecay, o.FinalWeightDecay, 0, o.Steps);
        momentum = new LinearSchedule(o.Ema[0], o.Ema[1], o.Steps);
        tape = new Tape(device);
        batches = new JepaBatches(config, device, validation: false, micro, () => vulkan.Value);
        checkpoints = new CheckpointFiles(outDir, config.Hardware.KeepCheckpoints);
        log = new MetricsLog(Path.Combine(outDir, MetricsLog.FileName));
    }

    /// <summary>
    /// Trains up to step <paramref name="stopAt"/> (default and at most optimizer.steps, which the schedules span), first
    /// continuing from the folder's checkpoint with <paramref name="resume"/>; the last step is checkpointed.
    /// </summary>
    public void Run(bool resume, long? stopAt = null, IProgress<JepaProgress>? progress = null)
    {
        long end = Math.Min(stopAt ?? config.Optimizer.Steps, config.Optimizer.Steps);
        if (Writes) AtomicFile.EnsureFolder(OutDir);
        if (resume) Resume();
        else if (File.Exists(checkpoints.LatestPath))
            throw new UserError($"{OutDir}: already holds a run ({CheckpointFiles.Latest}); pass --resume to continue it or choose another --out");
        if (Writes)
        {
            checkpoints.RemoveLeftovers();
            if (!resume && File.Exists(log.Path)) File.Delete(log.Path);   // the log of a run killed before its first checkpoint
            AtomicFile.WriteAllText(Path.Combine(OutDir, ConfigFile), config.ToYaml());
        }
        long lastGood = resume ? Step : 0;
        var h = config.Hardware;
        sinceLog.Restart();
        var wall = Stopwatch.StartNew();
        long startStep = Step;
        while (Step < end)
        {
            var watch = Stopwatch.StartNew();
            bool logged = Step + 1 == 1 || (Step + 1) % h.LogEvery == 0 || Step + 1 == end;
            var (loss, norm, diagnostics) = TrainOneStep(logged, lastGood);
            imagesSinceLog += ImagesPerStep;
            double seconds = watch.Elapsed.TotalSeconds;
            (trainSeconds, waitSeconds) = (trainSeconds + seconds, waitSeconds + dataSeconds);
            double rate = imagesSinceLog / Math.Max(sinceLog.Elapsed.TotalSeconds, 1e-9);
            bool checkpoint = Step % h.CheckpointEvery == 0 || Step == end;
            if (logged)
            {
                double? validation = checkpoint ? ValidationLoss() : null;
                var m = new JepaMetrics(Step, (double)batches.Drawn * micro / batches.SamplesPerEpoch, loss, validation, lr.At(Step - 1), wd.At(Step - 1),
                    momentum.At(Step - 1), norm, seconds, dataSeconds, rate, diagnostics![0], diagnostics[1], diagnostics[2], diagnostics[3]);
                Log(m);
                imagesSinceLog = 0;
                sinceLog.Restart();
            }
            if (checkpoint && Model.Finite())
            {
                if (Writes) SaveCheckpoint();
                lastGood = Step;
            }
            ImagesPerSecond = (double)(Step - startStep) * ImagesPerStep / wall.Elapsed.TotalSeconds;
            progress?.Report(new JepaProgress(Step, loss, lr.At(Step - 1), momentum.At(Step - 1), rate));
        }
    }

    /// <summary>Draws masks for global micro-batch <paramref name="index"/> from their own stream: (seed, index) alone.</summary>
    SplitMix64 MaskRandom(long index, bool validation) =>
        new(SplitMix64.Mix(config.Hardware.Seed ^ (validation ? 0x76616C6D61736BUL : 0x6D61736BUL)) + (ulong)index * SplitMix64.Gamma);

    /// <summary>
    /// One optimizer step; returns the loss (mean over ranks), the gradient norm before clipping and, when
    /// <paramref name="diagnose"/>, the collapse diagnostics (student std, teacher std, student rank, teacher rank).
    /// </summary>
    (double Loss, double GradNorm, double[]? Diagnostics) TrainOneStep(bool diagnose, long lastGood)
    {
        int accumulation = config.Optimizer.AccumulationSteps;
        dataSeconds = 0;
        foreach (var s in Model.Trained) s.ZeroGrad();
        double loss = 0;
        double[]? diagnostics = diagnose ? new double[4] : null;
        string? anomaly = null;
        for (int a = 0; a < accumulation; a++)
        {
            long index = batches.Drawn;
            loss += tape.Step(() =>
            {
                long before = Stopwatch.GetTimestamp();
                var input = batches.Next();
                dataSeconds += Stopwatch.GetElapsedTime(before).TotalSeconds;
                var rng = MaskRandom(index, validation: false);
                var masks = Model.DrawMasks(micro, first, count, ref rng);
                var local = reducer.WorldSize > 1 ? Ops.Slice(input, 0, first, count) : input;
                var l = Model.Loss(local, masks);
                Autograd.Backward(l);
                double value = l.Item();
                if (!double.IsFinite(value) || !GradientsFinite()) anomaly ??= Replay(local, masks, value);
                if (diagnostics is not null && a == 0 && anomaly is null)
                {
                    var (student, teacher) = Model.Diagnose(local);
                    (diagnostics[0], diagnostics[1], diagnostics[2], diagnostics[3]) = (student.MeanStd, teacher.MeanStd, student.EffectiveRank, teacher.EffectiveRank);
                }
                return value;
            });
        }
        if (accumulation > 1)
            foreach (var s in Model.Trained) GradClip.Scale(device, s.Grads.View, 1f / accumulation);
        var scalars = new[] { loss / accumulation, anomaly is null ? 0 : 1 };
        reducer.Sum(scalars);
        if (diagnostics is not null) reducer.Sum(diagnostics);
        int world = reducer.WorldSize;
        loss = scalars[0] / world;
        if (diagnostics is not null) for (int i = 0; i < 4; i++) diagnostics[i] /= world;
        if (scalars[1] > 0)
            throw checkpoints.Diverged(anomaly ?? $"a non-finite loss or gradient on another rank (loss {loss})", Step + 1, lastGood);
        if (world > 1)
            foreach (var s in Model.Trained)
            {
                var g = s.Grads.ToArray();
                reducer.Average(g);
                s.Grads.CopyFrom(g);
            }
        double clip = config.Optimizer.ClipGrad;
        double norm = clip > 0 ? GradClip.ClipGlobalNorm(Model.Trained, clip)
            : Math.Sqrt(Model.Trained.Sum(s => GradClip.SumOfSquares(device, s.Grads.View)));
        optimizer.Step(lr.At(Step), wd.At(Step));
        Model.UpdateTeacher(momentum.At(Step));
        Step++;
        if (diagnostics is not null && config.Hardware.CollapseStd > 0 && diagnostics[1] < config.Hardware.CollapseStd && Writes)
            Warn($"step {Step}: the teacher's feature std {diagnostics[1]:G3} is under hardware.collapse_std {config.Hardware.CollapseStd:G3} (effective rank {diagnostics[3]:F1}): the representation may be collapsing");
        return (loss, norm, diagnostics);
    }

    bool GradientsFinite() => Model.Trained.All(s => double.IsFinite(GradClip.SumOfSquares(device, s.Grads.View)));

    /// <summary>Runs the failed micro-batch again with every op checked, to name the op that first made a NaN/Inf.</summary>
    string Replay(Tensor input, JepaMasks masks, double loss)
    {
        foreach (var s in Model.Trained) s.ZeroGrad();
        try
        {
            new Tape(device) { DetectAnomaly = true }.Step(() => Autograd.Backward(Model.Loss(input, masks)));
        }
        catch (NonFiniteError e)
        {
            return $"loss {loss.ToString(CultureInfo.InvariantCulture)}: {e.Message}";
        }
        return $"loss {loss.ToString(CultureInfo.InvariantCulture)} (non-finite gradient; the anomaly replay found no single op)";
    }

    /// <summary>The mean loss over data.validation_batches validation micro-batches, the same ones at every call (null without them).</summary>
    double? ValidationLoss()
    {
        var d = config.Data;
        if (d.ValidationBatches == 0 || (d.Source == "dataset" && d.ValidationFraction == 0)) return null;
        int size = d.ValidationBatchSize > 0 ? d.ValidationBatchSize : micro;
        if (size % reducer.WorldSize != 0)
            throw config.Rejected("data.validation_batch_size", size, $"does not split over {reducer.WorldSize} ranks");
        var (n, start) = (size / reducer.WorldSize, size / reducer.WorldSize * reducer.Rank);
        using var stream = new JepaBatches(config, device, validation: true, size, () => vulkan.Value);
        double sum = 0;
        for (int i = 0; i < d.ValidationBatches; i++)
            sum += tape.Step(() =>
            {
                using var _ = Autograd.NoGrad(device);
                var input = stream.Next();
                var rng = MaskRandom(i, validation: true);
                var masks = Model.DrawMasks(size, start, n, ref rng);
                return (double)Model.Loss(reducer.WorldSize > 1 ? Ops.Slice(input, 0, start, n) : input, masks).Item();
            });
        var total = new[] { sum / d.ValidationBatches };
        reducer.Sum(total);
        return total[0] / reducer.WorldSize;
    }

    void Log(JepaMetrics m)
    {
        metrics.Add(m);
        if (!Writes) return;
        log.Append(new JsonObject
        {
            ["step"] = m.Step, ["epoch"] = MetricsLog.Number(m.Epoch), ["loss"] = MetricsLog.Number(m.Loss), ["val_loss"] = MetricsLog.Number(m.ValidationLoss),
            ["lr"] = m.Lr, ["wd"] = m.WeightDecay, ["momentum"] = m.Momentum, ["grad_norm"] = MetricsLog.Number(m.GradNorm),
            ["step_time"] = m.StepSeconds, ["data_time"] = m.DataSeconds, ["images_per_s"] = MetricsLog.Number(m.ImagesPerSecond),
            ["feature_std_student"] = MetricsLog.Number(m.StdStudent), ["feature_std_teacher"] = MetricsLog.Number(m.StdTeacher),
            ["effective_rank_student"] = MetricsLog.Number(m.RankStudent), ["effective_rank_teacher"] = MetricsLog.Number(m.RankTeacher),
        });
    }

    const string StepKey = "step", DrawnKey = "batches_drawn", AdamStepsKey = "optimizer_steps", RngKey = "rng";

    string MomentName(string store, bool second) => $"optimizer.{store}.{(second ? "exp_avg_sq" : "exp_avg")}";

    void SaveCheckpoint()
    {
        var inv = CultureInfo.InvariantCulture;
        var tensors = Model.StateDict().ToList();
        foreach (var s in Model.Trained)
        {
            var (mean, square) = optimizer.MomentsOf(s);
            tensors.Add((MomentName(s.Name, false), [(int)s.Layout.Length], mean.ToArray()));
            tensors.Add((MomentName(s.Name, true), [(int)s.Layout.Length], square.ToArray()));
        }
        var meta = Model.Metadata();
        meta[StepKey] = Step.ToString(inv);
        meta[DrawnKey] = batches.Drawn.ToString(inv);
        meta[AdamStepsKey] = optimizer.StepCount.ToString(inv);
        meta[RngKey] = $"masks: SplitMix64 per micro-batch from (hardware.seed {config.Hardware.Seed}, micro-batch index); data: position {batches.Drawn} of the {config.Data.Source} stream";
        checkpoints.Publish(Step, path => Safetensors.Write(path,
            tensors.Select(t => KeyValuePair.Create(t.Name, SafetensorsTensor.FromFloat32(t.Values, t.Shape.Select(d => (long)d).ToArray()))), meta));
        Model.SaveModel(Path.Combine(OutDir, ModelFile));
        JepaCharts.Write(OutDir, log.Path);
    }

    void Resume()
    {
        var path = checkpoints.LatestPath;
        if (!File.Exists(path)) throw new UserError($"{path}: nothing to resume (no checkpoint)");
        var file = Safetensors.Read(path, "checkpoint");
        long Number(string key) => file.Metadata.TryGetValue(key, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? v : throw new UserError($"{path}: no valid \"{key}\" in its metadata");
        if (!file.Metadata.TryGetValue("config", out var saved)) throw new UserError($"{path}: no \"config\" in its metadata");
        var before = new JepaConfig(path);
        before.ApplyText(saved, $"{path} (its config)");
        if (Comparable(before) != Comparable(config))
            throw new UserError($"{path}: the run was started with another config; resume with the same settings (only hardware.log_every, checkpoint_every, keep_checkpoints, output_dir and device may change)");
        Model.Load(file, path);
        foreach (var s in Model.Trained)
        {
            var (mean, square) = optimizer.MomentsOf(s);
            int[] length = [(int)s.Layout.Length];
            mean.CopyFrom(WeightsFile.CheckedFloat32(path, MomentName(s.Name, false), file.Get(path, MomentName(s.Name, false)), length));
            square.CopyFrom(WeightsFile.CheckedFloat32(path, MomentName(s.Name, true), file.Get(path, MomentName(s.Name, true)), length));
        }
        optimizer.RestoreStepCount(Number(AdamStepsKey));
        Step = Number(StepKey);
        batches.Skip(Number(DrawnKey));
        if (Writes) log.TruncateAfter(Step);
    }

    /// <summary>The config with the settings a resume may change set aside.</summary>
    static string Comparable(JepaConfig c)
    {
        var copy = new JepaConfig();
        copy.ApplyText(c.ToYaml(), "config");
        (copy.Hardware.LogEvery, copy.Hardware.CheckpointEvery, copy.Hardware.KeepCheckpoints, copy.Hardware.OutputDir, copy.Hardware.Device) = (1, 1, 0, "", "");
        return copy.ToYaml();
    }

    public void Dispose()
    {
        batches.Dispose();
        optimizer.Dispose();
        Model.Dispose();
        if (vulkan.IsValueCreated) vulkan.Value.Dispose();
    }
}
