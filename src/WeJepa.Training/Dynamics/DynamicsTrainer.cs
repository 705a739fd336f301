using System.Globalization;
using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning;
using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Weights;
using WeJepa.Training.Data;
using WeJepa.Training.Rollouts;
using WeJepa.Training.Runs;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Dynamics;

/// <summary>One logged step: the training loss of that step, the test loss, the learning rate used.</summary>
public sealed record DynamicsMetrics(long Step, double TrainLoss, double? TestLoss, double Lr);

/// <summary>
/// Trains a <see cref="DynamicsModel"/> on a <see cref="TrainingSplit"/> and keeps its run folder:
/// <c>checkpoint.safetensors</c> (parameters under their PyTorch names, the Adam moments, the step: enough for an
/// exact resume), <c>model.safetensors</c> (the weights alone, loadable by PyTorch's <c>load_state_dict</c>),
/// <c>config.yaml</c> and <c>metrics.jsonl</c>. Minibatches are drawn from (seed, step) alone, so a resumed run
/// takes the very batches the uninterrupted one would have. A non-finite loss stops the run with exit code 4 and
/// leaves the last good checkpoint in place.
/// </summary>
public sealed class DynamicsTrainer : IDisposable
{
    public const string CheckpointFile = "checkpoint.safetensors", ModelFile = "model.safetensors",
        ConfigFile = "config.yaml", MetricsFile = MetricsLog.FileName;
    const string FirstMoment = "optimizer.exp_avg", SecondMoment = "optimizer.exp_avg_sq";

    readonly DynamicsConfig config;
    readonly TrainingSplit split;
    readonly string outDir;
    readonly AdamW optimizer;
    readonly Tape tape;
    readonly ISchedule lr;
    readonly List<DynamicsMetrics> metrics = [];
    readonly Tensor? fullX, fullDxdt;

    public DynamicsModel Model { get; }
    /// <summary>Optimizer steps taken so far.</summary>
    public long Step { get; private set; }
    public IReadOnlyList<DynamicsMetrics> Metrics => metrics;

    public DynamicsTrainer(Device device, DynamicsConfig config, TrainingSplit split, int degrees, string outDir)
    {
        if (split.TrainCount == 0) throw new UserError("training data: the training split is empty (lower test_fraction or add trajectories)");
        (this.config, this.split, this.outDir) = (config, split, outDir);
        if (config.TimeInput != split.TimeInput)
            throw new ArgumentException($"dynamics trainer: time_input {config.TimeInput} but the split's inputs {(split.TimeInput ? "carry" : "lack")} the time column");
        Model = DynamicsModel.Create(device, config.Kind, degrees, config.Hidden, config.Seed, config.TimeInput, split.Canonical);
        optimizer = new AdamW(Model.Parameters);
        tape = new Tape(device);
        lr = config.Schedule == "cosine"
            ? new CosineWarmupSchedule(config.Lr, config.FinalLr, config.WarmupSteps, config.Steps).Validated()
            : new ConstantSchedule(config.Lr);
        if (config.BatchSize == 0 || config.BatchSize >= split.TrainCount)
        {
            fullX = Unscoped(device, split.TrainX, split.TrainCount, split.InputSize);
            fullDxdt = Unscoped(device, split.TrainDxdt, split.TrainCount, split.StateSize);
        }
    }

    /// <summary>
    /// The split <paramref name="config"/>'s model learns from: an HNN-family model of d ≥ 2 on trajectories with a scene
    /// gets canonical momenta (<see cref="CanonicalMomenta.Of"/>; without a scene the states are taken as given, (q, p));
    /// a time-input model gets each sample's time as its last input column.
    /// </summary>
    public static TrainingSplit SplitFor(TrajectorySet set, DynamicsConfig config)
    {
        bool hamiltonian = config.Kind is DynamicsModelKind.Hnn or DynamicsModelKind.DissipativeHnn;
        var data = hamiltonian && set.Degrees >= 2 && set.Scene is not null ? CanonicalMomenta.Of(set) : set;
        return TrainingSplit.Of(data, config.TestFraction, config.Noise, config.Seed, config.TimeInput);
    }

    /// <summary>
    /// Trains up to <see cref="DynamicsConfig.Steps"/>; with <paramref name="resume"/> continues from the folder's
    /// checkpoint first. <paramref name="progress"/> hears the step count.
    /// </summary>
    public void Run(bool resume, IProgress<long>? progress = null)
    {
        AtomicFile.EnsureFolder(outDir);
        if (resume) Resume();
        else if (File.Exists(Path.Combine(outDir, CheckpointFile)))
            throw new UserError($"{outDir}: already holds a run ({CheckpointFile}); pass --resume to continue it or choose another --out");
        else if (File.Exists(Path.Combine(outDir, MetricsFile))) File.Delete(Path.Combine(outDir, MetricsFile));   // a run killed before its first checkpoint
        AtomicFile.RemoveTemporaries(outDir);
        AtomicFile.WriteAllText(Path.Combine(outDir, ConfigFile), config.ToYaml());
        long lastGood = Step;
        while (Step < config.Steps)
        {
            double rate = lr.At(Step);
            double loss = TrainOneStep();
            if (!double.IsFinite(loss))
                throw new UserError($"training diverged: loss {loss} at step {Step + 1}; the last good checkpoint (step {lastGood}) is kept in {outDir}", ExitCodes.Diverged);
            if (Step % config.LogEvery == 0 || Step == config.Steps || Step == 1) Log(new DynamicsMetrics(Step, loss, TestLoss(), rate));
            if ((Step % config.CheckpointEvery == 0 || Step == config.Steps) && ParametersFinite())
            {
                SaveCheckpoint();
                lastGood = Step;
            }
            progress?.Report(Step);
        }
    }

    /// <summary>
    /// One optimizer step at the schedule's rate (the only place training touches the engine): zero the flat
    /// gradient, loss and backward in a tensor scope, L2 decay into the gradient for Adam (torch.optim.Adam's
    /// weight_decay, every parameter) or decoupled decay for AdamW (weights only), global-norm clipping when asked, then the update. Returns the
    /// step's loss; a non-finite loss leaves the parameters and <see cref="Step"/> untouched.
    /// </summary>
    public double TrainOneStep()
    {
        double rate = lr.At(Step);
        var parameters = Model.Parameters;
        parameters.ZeroGrad();
        double loss = tape.Step(() =>
        {
            var (x, dxdt) = Batch();
            var l = Model.Loss(x, dxdt);
            Autograd.Backward(l);
            return (double)l.Item();
        });
        if (!double.IsFinite(loss)) return loss;
        bool adam = config.Optimizer == "adam";
        if (adam && config.WeightDecay > 0) Ops.AddInPlace(parameters.Grads, parameters.Values, (float)config.WeightDecay);
        if (config.ClipGrad > 0) GradClip.ClipGlobalNorm(parameters, config.ClipGrad);
        optimizer.Step(rate, adam ? 0 : config.WeightDecay);
        Step++;
        return loss;
    }

    /// <summary>The whole training split, or <see cref="DynamicsConfig.BatchSize"/> samples drawn without replacement by (seed, step).</summary>
    (Tensor X, Tensor Dxdt) Batch()
    {
        if (fullX is not null) return (fullX, fullDxdt!);
        int b = config.BatchSize, s = split.StateSize, w = split.InputSize, n = split.TrainCount;
        var random = new InitRandom(config.Seed * 0x9E3779B97F4A7C15UL + (ulong)Step + 1);
        var order = Enumerable.Range(0, n).ToArray();
        var (x, dxdt) = (new float[b * w], new float[b * s]);
        for (int i = 0; i < b; i++)
        {
            int j = i + (int)(random.NextUInt64() % (ulong)(n - i));
            (order[i], order[j]) = (order[j], order[i]);
            Array.Copy(split.TrainX, order[i] * w, x, i * w, w);
            Array.Copy(split.TrainDxdt, order[i] * s, dxdt, i * s, s);
        }
        var device = Model.Parameters.Device;
        return (Tensor.FromArray(device, x, b, w), Tensor.FromArray(device, dxdt, b, s));
    }

    /// <summary>The model's evaluation loss on the test split (no graph), or null without one.</summary>
    public double? TestLoss()
    {
        if (split.TestCount == 0) return null;
        var device = Model.Parameters.Device;
        return tape.Step(() => (double)Model.EvaluationLoss(Tensor.FromArray(device, split.TestX, split.TestCount, split.InputSize),
            Tensor.FromArray(device, split.TestDxdt, split.TestCount, split.StateSize)).Item());
    }

    void Log(DynamicsMetrics m)
    {
        metrics.Add(m);
        new MetricsLog(Path.Combine(outDir, MetricsFile)).Append(new JsonObject { ["step"] = m.Step, ["train_loss"] = m.TrainLoss, ["test_loss"] = MetricsLog.Number(m.TestLoss), ["lr"] = m.Lr });
    }

    bool ParametersFinite() => Array.TrueForAll(Model.Parameters.ToArray(), float.IsFinite);

    void SaveCheckpoint()
    {
        var p = Model.Parameters;
        var values = p.ToArray();
        var tensors = p.Layout.Entries
            .Select(e => (e.Name, e.Shape, values.AsSpan((int)e.Offset, (int)e.Length).ToArray()))
            .Concat(Model.Buffers.Select(b => (b.Name, b.Shape, b.Values)))
            .Append((FirstMoment, new[] { (int)p.Layout.Length }, optimizer.MomentsOf(p).First.ToArray()))
            .Append((SecondMoment, new[] { (int)p.Layout.Length }, optimizer.MomentsOf(p).Second.ToArray()))
            .Select(t => KeyValuePair.Create(t.Item1, SafetensorsTensor.FromFloat32(t.Item3, t.Item2.Select(d => (long)d).ToArray())));
        var meta = new Dictionary<string, string>(Description) { ["step"] = Step.ToString(CultureInfo.InvariantCulture) };
        // the weights first: the checkpoint is what a resume trusts, so a kill between the two leaves the weights ahead
        // (the resume trains to them again and rewrites both), never behind a checkpoint that needs no more steps
        WeightsFile.Save(Path.Combine(outDir, ModelFile), p, Model.Buffers, Description);
        Safetensors.Write(Path.Combine(outDir, CheckpointFile), tensors, meta);
    }

    /// <summary>
    /// What a loader needs to rebuild the model, in both files' metadata: <c>model</c>, <c>degrees</c>, <c>hidden</c>,
    /// <c>time_input</c> (true: the net's last input is the time) and <c>momentum</c> (<c>velocity</c>: the states' v
    /// halves are the model's coordinates; <c>canonical</c>: an HNN of d ≥ 2 works in p = M(q)·v of the scene's
    /// system, see <see cref="CanonicalMomenta"/>).
    /// </summary>
    IReadOnlyDictionary<string, string> Description => new Dictionary<string, string>
    {
        ["model"] = config.Model,
        ["degrees"] = Model.Degrees.ToString(CultureInfo.InvariantCulture),
        ["hidden"] = config.Hidden.ToString(CultureInfo.InvariantCulture),
        [DynamicsCheckpoint.TimeInputKey] = config.TimeInput ? "true" : "false",
        [DynamicsCheckpoint.MomentumKey] = Model.Canonical ? DynamicsCheckpoint.CanonicalMomentum : DynamicsCheckpoint.VelocityMomentum,
    };

    void Resume()
    {
        var path = Path.Combine(outDir, CheckpointFile);
        if (!File.Exists(path)) throw new UserError($"{path}: nothing to resume (no checkpoint)");
        var saved = Path.Combine(outDir, ConfigFile);
        if (File.Exists(saved))
        {
            var before = DynamicsConfig.Load(saved);
            before.Steps = config.Steps; // training longer is the point of resuming
            if (before.ToYaml() != config.ToYaml())
                throw new UserError($"{saved}: the run was started with another config; resume with the same settings (only steps may change)");
        }
        var file = Safetensors.Read(path);
        if (!file.Metadata.TryGetValue("step", out var stepText) || !long.TryParse(stepText, CultureInfo.InvariantCulture, out var step) || step < 0)
            throw new UserError($"{path}: no valid \"step\" in its metadata");
        WeightsFile.Load(path, Model.Parameters, Model.Buffers, new WeightsLoadOptions(AllowUnexpected: true));
        var length = new[] { (int)Model.Parameters.Layout.Length };
        optimizer.MomentsOf(Model.Parameters).First.CopyFrom(WeightsFile.CheckedFloat32(path, FirstMoment, file.Get(path, FirstMoment), length));
        optimizer.MomentsOf(Model.Parameters).Second.CopyFrom(WeightsFile.CheckedFloat32(path, SecondMoment, file.Get(path, SecondMoment), length));
        optimizer.RestoreStepCount(step);
        Step = step;
        var log = Path.Combine(outDir, MetricsFile);
        new MetricsLog(log).TruncateAfter(step);
        // the curve so far: a resumed run reports its whole log (one resumed at its last step trains nothing more)
        if (File.Exists(log))
            metrics.AddRange(File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).Select(n => new DynamicsMetrics(
                n["step"]!.GetValue<long>(), n["train_loss"]?.GetValue<double>() ?? double.NaN, n["test_loss"]?.GetValue<double>(), n["lr"]?.GetValue<double>() ?? double.NaN)));
    }

    /// <summary>A device copy of <paramref name="data"/> that lives as long as the trainer (no scope owns it).</summary>
    static Tensor Unscoped(Device device, float[] data, int rows, int columns)
    {
        var t = Tensor.EmptyUnscoped(device, rows, columns);
        t.CopyFrom(data);
        return t;
    }

    public void Dispose()
    {
        fullX?.Dispose();
        fullDxdt?.Dispose();
        optimizer.Dispose();
        Model.Dispose();
    }
}
