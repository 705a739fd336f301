using System.Globalization;
using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Rng;
using WeJepa.Core.Scenes;
using WeJepa.Training.Data;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Jepa;
using WeJepa.Training.Runs;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Loop;

/// <summary>One round of the online loop as logged (a line of metrics.jsonl).</summary>
public sealed record LoopRound(int Round, int Episodes, long DynamicsStep, double DynamicsLoss, double[] HeadRSquared, double FrameThetaRmse,
    LoopScore Score, RecordingTraffic Traffic);

/// <summary>What a finished run hands the report: the rounds, the encoder's pretraining log, and the last head and models scored.</summary>
public sealed record LoopResult(IReadOnlyList<LoopRound> Rounds, IReadOnlyList<JepaMetrics> EncoderMetrics, IReadOnlyList<DynamicsMetrics> DynamicsMetrics,
    string EncoderName, LoopEvaluation Pixels, LoopEvaluation? Oracle, LoopEvaluation? Baseline, RecordingTraffic Traffic);

/// <summary>
/// The closed loop in one process: live simulator → frames in shared memory → encoder features → ridge state head →
/// dynamics trained on the <em>estimated</em> states → held-out rollouts from initial states estimated from their first
/// frames. First the JEPA encoder is pretrained on the live scene (<see cref="JepaTrainer"/>, its own checkpoints, in
/// <c>encoder/</c>); then each round films fresh episodes (a seed per round), refits the head on everything filmed so far,
/// continues the dynamics model (<see cref="DynamicsTrainer"/> in <c>dynamics/</c>: same weights and Adam state, more steps,
/// more data) and scores it on the held-out episodes. Every input is a function of the config and the seed, so a run
/// killed at any point resumes — refilming what it had filmed, from the encoder checkpoint — to the very metrics the
/// uninterrupted run logs. A resumed run does not redo the rounds <c>loop.json</c> counts as done (it reads their lines
/// back): the dynamics checkpoint may already hold the next round's model, which would score them wrongly. Files:
/// <c>config.yaml</c>, <c>metrics.jsonl</c> (one line per round), <c>loop.json</c> (rounds done), the two trainers'
/// folders, and <c>oracle/</c>, <c>baseline/</c> when the baselines run.
/// </summary>
public sealed class LoopTrainer(Device engine, VulkanDevice vulkan, Scene scene, string scenePath, LoopConfig config, string outDir)
{
    public const string ConfigFile = "config.yaml", StateFile = "loop.json", EncoderDir = "encoder", DynamicsDir = "dynamics",
        OracleDir = "oracle", BaselineDir = "baseline";

    /// <summary>Heard with each stage as it starts.</summary>
    public Action<string> Say { get; init; } = _ => { };

    public LoopResult Run(bool resume)
    {
        if (scene.StateSize != 2) throw new UserError($"{scene.Source}: the closed loop learns simple pendulums (states (θ, ω)); this scene has states of size {scene.StateSize}");
        AtomicFile.EnsureFolder(outDir);
        var (done, grown) = resume ? RoundsDone() : (-1, false);
        if (!resume && File.Exists(Path.Combine(outDir, StateFile)))
            throw new UserError($"{outDir}: already holds a loop run ({StateFile}); pass --resume to continue it or choose another --out");
        AtomicFile.RemoveTemporaries(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, ConfigFile), config.ToYaml());
        var log = new MetricsLog(Path.Combine(outDir, MetricsLog.FileName));
        if (resume) log.TruncateAfter(done);
        else if (File.Exists(log.Path)) File.Delete(log.Path);
        var logged = Logged(log.Path, done);
        // the baselines of a run given more rounds were trained on fewer episodes: they start again on all of them
        foreach (var folder in grown ? new[] { OracleDir, BaselineDir } : [])
            if (Directory.Exists(Path.Combine(outDir, folder))) Directory.Delete(Path.Combine(outDir, folder), recursive: true);

        var (encoder, encoderMetrics) = Encoder();
        using var _ = encoder;
        var p = config.Episodes;
        Say($"filming {p.Evaluation} held-out episodes ({p.FitFrames} frames each)");
        var evaluation = CameraRecorder.Record(vulkan, engine, Seeded(0x6576616CUL), encoder, p.Evaluation, p.FitFrames);
        CameraRecording? pool = null;
        var rounds = new List<LoopRound>();
        DynamicsTrainer? trainer = null;
        LoopEvaluation? lastEvaluation = null;
        try
        {
            for (int r = 0; r < p.Rounds; r++)
            {
                Say($"round {r + 1}/{p.Rounds}: filming {p.PerRound} episodes × {p.Frames} frames");
                var filmed = CameraRecorder.Record(vulkan, engine, Seeded((ulong)r + 1), encoder, p.PerRound, p.Frames, firstEpisode: r * p.PerRound);
                pool = pool is null ? filmed : pool.Append(filmed);
                if (r <= done && r < p.Rounds - 1)
                {
                    rounds.Add(logged[r] with { Traffic = filmed.Traffic });
                    continue;
                }
                Say($"round {r + 1}/{p.Rounds}: state head on {pool.Episodes} episodes, then {config.Dynamics.Model} on the estimates");
                var head = StateHead.Fit(pool, evaluation, config.Hardware.Seed);
                var angles = head.Angles(pool, evaluation);
                var estimated = SmoothedTrajectories.Of(angles[0], pool.Episodes, pool.Frames, scene.Settings.Dt, config.Smoothing.Window, config.Smoothing.Degree);
                trainer?.Dispose();
                trainer = Train(DynamicsDir, config.Dynamics.Model, estimated, (long)(r + 1) * config.Dynamics.StepsPerRound);
                var scored = lastEvaluation = Score(trainer.Model, evaluation, angles[1]);
                var round = new LoopRound(r, pool.Episodes, trainer.Step, trainer.Metrics.Count > 0 ? trainer.Metrics[^1].TrainLoss : double.NaN,
                    head.RSquared, FrameRmse(angles[1], evaluation), scored.Score, filmed.Traffic);
                rounds.Add(round);
                if (r > done)
                {
                    log.Append(Line(round));
                    AtomicFile.WriteAllText(Path.Combine(outDir, StateFile), new JsonObject { ["rounds_done"] = r }.ToJsonString() + "\n");
                }
            }
            var last = lastEvaluation!;
            LoopEvaluation? oracle = null, baseline = null;
            if (config.Dynamics.Baselines)
            {
                Say($"baselines: the oracle ({config.Dynamics.Model} on true states) and an mlp on the estimates");
                var steps = (long)p.Rounds * config.Dynamics.StepsPerRound;
                var truth = new TrajectorySet(pool!.Episodes, pool.Frames, 2, scene.Settings.Dt, pool.States,
                    TrajectorySet.FiniteDifferences(pool.States, pool.Episodes, pool.Frames, 2, scene.Settings.Dt), "finite differences of the true states", scene);
                using (var o = Train(OracleDir, config.Dynamics.Model, truth, steps))
                    oracle = LoopEvaluation.Of(o.Model, evaluation, TrueInitial(evaluation), p.Horizon);
                var head = StateHead.Fit(pool, evaluation, config.Hardware.Seed);
                var angles = head.Angles(pool, evaluation);
                var estimated = SmoothedTrajectories.Of(angles[0], pool.Episodes, pool.Frames, scene.Settings.Dt, config.Smoothing.Window, config.Smoothing.Degree);
                using var b = Train(BaselineDir, "mlp", estimated, steps);
                baseline = Score(b.Model, evaluation, angles[1]);
            }
            return new LoopResult(rounds, encoderMetrics, trainer!.Metrics, encoder.Name, last, oracle, baseline,
                rounds.Select(x => x.Traffic).Aggregate((a, b) => a + b));
        }
        finally { trainer?.Dispose(); }
    }

    /// <summary>The scene under a seed of its own for each purpose (each round's fresh episodes, the held-out ones).</summary>
    Scene Seeded(ulong purpose) => scene.With(seed: SplitMix64.Mix(scene.Settings.Seed ^ SplitMix64.Mix(config.Hardware.Seed * 0x100 + purpose)));

    (IFrameEncoder Encoder, IReadOnlyList<JepaMetrics> Metrics) Encoder()
    {
        var e = config.Encoder;
        var spec = Simulation.Rendering.RenderSpec.FromScene(scene);
        if (e.Kind == "pixels") return (new PooledPixelEncoder(spec.Height, spec.Width, e.PixelPool), []);
        if (spec.Height != spec.Width) throw new UserError($"{scene.Source}: the JEPA encoder needs square frames, the camera gives {spec.Width}×{spec.Height}");
        var jepa = config.Jepa(scenePath, spec.Width, Path.Combine(outDir, EncoderDir));
        if (e.Kind == "random-init") return (new JepaFrameEncoder(new JepaModel(engine, jepa), "random-init", ownsModel: true), []);
        var dir = jepa.Hardware.OutputDir;
        var trainer = new JepaTrainer(engine, jepa, dir) { Warn = m => Say("warning: " + m) };
        try
        {
            Say($"pretraining the {jepa.Model.Kind} encoder: {jepa.Optimizer.Steps} steps × {jepa.Data.BatchSize} live frames");
            trainer.Run(resume: File.Exists(Path.Combine(dir, CheckpointFiles.Latest)));
            var metrics = File.Exists(Path.Combine(dir, MetricsLog.FileName)) ? JepaMetricsFile(Path.Combine(dir, MetricsLog.FileName)) : trainer.Metrics;
            return (new LoopTrainerEncoder(trainer), metrics);
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    /// <summary>The pretraining curve from the encoder's log (a resumed run holds only part of it in memory).</summary>
    static IReadOnlyList<JepaMetrics> JepaMetricsFile(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).Select(n => new JepaMetrics(
            n["step"]!.GetValue<long>(), 0, n["loss"]?.GetValue<double>() ?? double.NaN, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).ToList();

    DynamicsTrainer Train(string folder, string model, TrajectorySet set, long steps)
    {
        var d = config.Dynamics;
        var dynamics = new DynamicsConfig
        {
            Model = model, Hidden = d.Hidden, Steps = (int)steps, BatchSize = d.BatchSize, Lr = d.Lr, WeightDecay = 0,
            TestFraction = 0, Seed = config.Hardware.Seed, LogEvery = Math.Max(1, d.StepsPerRound / 10), CheckpointEvery = d.StepsPerRound,
        }.Validate(config.Source);
        var dir = Path.Combine(outDir, folder);
        var trainer = new DynamicsTrainer(engine, dynamics, TrainingSplit.Of(set, 0, 0, config.Hardware.Seed), 1, dir);
        try
        {
            trainer.Run(resume: File.Exists(Path.Combine(dir, DynamicsTrainer.CheckpointFile)));
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }

    /// <summary>The held-out episodes' initial states fitted through <paramref name="model"/> to their first K estimated angles, then the scored rollout.</summary>
    LoopEvaluation Score(DynamicsModel model, CameraRecording evaluation, double[] angles)
    {
        int k = evaluation.Frames, e = evaluation.Episodes;
        var smoothed = SmoothedTrajectories.Of(angles, e, k, scene.Settings.Dt, config.Smoothing.Window, config.Smoothing.Degree);
        var guess = new float[e * 2];
        for (int i = 0; i < e; i++) smoothed.States.AsSpan(i * k * 2, 2).CopyTo(guess.AsSpan(i * 2));
        var initial = InitialStateFit.Fit(model, angles, k, guess, scene.Settings.Dt);
        return LoopEvaluation.Of(model, evaluation, initial, config.Episodes.Horizon);
    }

    static float[] TrueInitial(CameraRecording r)
    {
        var x = new float[r.Episodes * r.StateSize];
        for (int i = 0; i < r.Episodes; i++) r.StateOf(i, 0).CopyTo(x.AsSpan(i * r.StateSize));
        return x;
    }

    /// <summary>Root mean square of wrap(θ̂ − θ) over every frame: how well one frame alone gives the angle.</summary>
    static double FrameRmse(double[] angles, CameraRecording r)
    {
        double sum = 0;
        for (int i = 0; i < angles.Length; i++) sum += Math.Pow(SmoothedTrajectories.Wrapped(angles[i] - r.States[i * r.StateSize]), 2);
        return Math.Sqrt(sum / angles.Length);
    }

    /// <summary>The last round <c>loop.json</c> counts as done (−1: none), and whether this resume asks for more rounds than the run had.</summary>
    (int Done, bool Grown) RoundsDone()
    {
        var path = Path.Combine(outDir, StateFile);
        if (!File.Exists(path)) return (-1, false);
        var saved = Path.Combine(outDir, ConfigFile);
        bool grown = false;
        if (File.Exists(saved))
        {
            var before = LoopConfig.FromFile(saved);
            // more rounds is what resuming is for; fewer would leave the dynamics checkpoint ahead of the last round
            if (config.Episodes.Rounds < before.Episodes.Rounds)
                throw new UserError($"episodes.rounds = {config.Episodes.Rounds}: {saved} has {before.Episodes.Rounds}; a resumed run keeps its rounds or adds more");
            grown = config.Episodes.Rounds > before.Episodes.Rounds;
            before.Episodes.Rounds = config.Episodes.Rounds;
            if (before.ToYaml() != config.ToYaml())
                throw new UserError($"{saved}: the run was started with another config; resume with the same settings (only episodes.rounds may grow)");
        }
        int done;
        try { done = JsonNode.Parse(File.ReadAllText(path))!["rounds_done"]!.GetValue<int>(); }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new UserError($"{path}: not a loop state (expected {{\"rounds_done\": N}})");
        }
        if (done < 0 || done >= config.Episodes.Rounds)
            throw new UserError($"{path}: rounds_done = {done} is not a round of this run (0 to {config.Episodes.Rounds - 1})");
        return (done, grown);
    }

    /// <summary>Rounds 0..<paramref name="done"/> as logged in <paramref name="path"/> (their traffic is the refilmed episodes').</summary>
    LoopRound[] Logged(string path, int done)
    {
        if (done < 0) return [];
        var lines = File.Exists(path) ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToArray() : [];
        var rounds = new LoopRound[done + 1];
        foreach (var n in lines)
        {
            int r = n["round"]?.GetValue<int>() ?? -1;
            if (r < 0 || r > done) continue;
            double Number(string key) => n[key]?.GetValue<double>() ?? double.NaN;
            var horizon = config.Episodes.Horizon.ToString(CultureInfo.InvariantCulture);
            var score = new LoopScore(config.Episodes.Horizon, Number(ThetaMsePrefix + horizon), Number(DriftPrefix + horizon), Number("initial_theta_error"),
                Number("initial_omega_error"));
            rounds[r] = new LoopRound(r, n["episodes"]!.GetValue<int>(), n["dynamics_step"]!.GetValue<long>(), Number("dynamics_loss"),
                [Number("head_r2_sin"), Number("head_r2_cos"), Number("head_r2_omega")], Number("frame_theta_rmse"), score, default);
        }
        int missing = Array.IndexOf(rounds, null);
        if (missing >= 0) throw new UserError($"{path}: no line for round {missing}, though {StateFile} counts rounds 0 to {done} as done");
        return rounds;
    }

    const string ThetaMsePrefix = "theta_mse_", DriftPrefix = "energy_drift_median_";

    static JsonObject Line(LoopRound r)
    {
        var e = r.Score;
        return new JsonObject
        {
            ["step"] = r.Round,
            ["round"] = r.Round,
            ["episodes"] = r.Episodes,
            ["dynamics_step"] = r.DynamicsStep,
            ["dynamics_loss"] = MetricsLog.Number(r.DynamicsLoss),
            ["head_r2_sin"] = MetricsLog.Number(r.HeadRSquared[0]),
            ["head_r2_cos"] = MetricsLog.Number(r.HeadRSquared[1]),
            ["head_r2_omega"] = MetricsLog.Number(r.HeadRSquared[2]),
            ["frame_theta_rmse"] = MetricsLog.Number(r.FrameThetaRmse),
            ["initial_theta_error"] = MetricsLog.Number(e.InitialThetaError),
            ["initial_omega_error"] = MetricsLog.Number(e.InitialOmegaError),
            [ThetaMsePrefix + e.Horizon.ToString(CultureInfo.InvariantCulture)] = MetricsLog.Number(e.ThetaMse),
            [DriftPrefix + e.Horizon.ToString(CultureInfo.InvariantCulture)] = MetricsLog.Number(e.MedianEnergyDrift),
            ["host_bytes_per_step"] = r.Traffic.BytesPerStep,
            ["frame_host_bytes_per_step"] = r.Traffic.FrameBytesPerStep,
            ["frame_batch_bytes"] = r.Traffic.FrameBatchBytes,
        };
    }

    /// <summary>The pretrained encoder; disposing it disposes its trainer.</summary>
    sealed class LoopTrainerEncoder(JepaTrainer trainer) : IFrameEncoder
    {
        readonly JepaFrameEncoder inner = new(trainer.Model, "jepa");
        public string Name => inner.Name;
        public int FeatureSize => inner.FeatureSize;
        public long HostBytesPerEncode => inner.HostBytesPerEncode;
        public WeJepa.Learning.Tensor Encode(WeJepa.Learning.Tensor frames) => inner.Encode(frames);
        public void Dispose() => trainer.Dispose();
    }
}
