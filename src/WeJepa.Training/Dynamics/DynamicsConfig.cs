using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WeJepa.Training.Dynamics;

/// <summary>
/// Everything a <c>train dynamics</c> run depends on, read from YAML or JSON (JSON is YAML) with snake_case keys;
/// an unknown key is an error naming file, line and key. Defaults are the HNN paper's pendulum setup.
/// </summary>
public sealed class DynamicsConfig
{
    /// <summary>hnn, dhnn (HNN + learned dissipation), lnn or mlp; the command line's --model wins.</summary>
    public string Model { get; set; } = "hnn";
    public int Hidden { get; set; } = 200;
    public int Steps { get; set; } = 2000;
    /// <summary>Samples per step; 0 = the whole training split every step (full batch).</summary>
    public int BatchSize { get; set; }
    /// <summary>adam (L2 weight decay added to the gradient, torch.optim.Adam) or adamw (decoupled, weights only).</summary>
    public string Optimizer { get; set; } = "adam";
    public double Lr { get; set; } = 1e-3;
    public double WeightDecay { get; set; } = 1e-4;
    /// <summary>constant or cosine (linear warmup over warmup_steps, then a half cosine to final_lr).</summary>
    public string Schedule { get; set; } = "constant";
    public int WarmupSteps { get; set; }
    public double FinalLr { get; set; }
    /// <summary>Global-norm gradient clipping (torch.nn.utils.clip_grad_norm_) before each update; 0 = off.</summary>
    public double ClipGrad { get; set; }
    /// <summary>σ of Gaussian noise added once to the training and test states (the HNN paper: 0.1).</summary>
    public double Noise { get; set; }
    /// <summary>The last fraction of trajectories is the test split.</summary>
    public double TestFraction { get; set; } = 0.5;
    public ulong Seed { get; set; }
    /// <summary>Time as the net's last input (driven systems): hnn, dhnn and mlp; the field may then change with t.</summary>
    public bool TimeInput { get; set; }
    public int LogEvery { get; set; } = 100;
    public int CheckpointEvery { get; set; } = 500;

    static readonly string[] Models = ["hnn", "dhnn", "lnn", "mlp"];

    /// <summary>Reads <paramref name="path"/> strictly, then <see cref="Validate"/>s it.</summary>
    public static DynamicsConfig Load(string path)
    {
        if (!File.Exists(path)) throw new UserError($"{path}: config file not found");
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        DynamicsConfig? config;
        try { config = deserializer.Deserialize<DynamicsConfig>(BoundedFile.ReadAllText(path, YamlLimits.MaxBytes, "config file")); }
        catch (YamlException e)
        {
            var why = (e.InnerException?.Message ?? e.Message).Split(" on type ")[0];
            throw new UserError($"{path}:{e.Start.Line}:{e.Start.Column}: {why}");
        }
        return (config ?? new DynamicsConfig()).Validate(path);
    }

    /// <summary>Rejects values no run can use, naming the key.</summary>
    public DynamicsConfig Validate(string source = "config")
    {
        void Check(bool ok, string key, object value, string why) { if (!ok) throw new UserError($"{source}: {key} = {value}: {why}"); }
        Check(Models.Contains(Model), "model", Model, "expected one of " + string.Join(", ", Models));
        Check(Hidden >= 1, "hidden", Hidden, "must be >= 1");
        Check(Steps >= 1, "steps", Steps, "must be >= 1");
        Check(BatchSize >= 0, "batch_size", BatchSize, "must be >= 0 (0 = full batch)");
        Check(Optimizer is "adam" or "adamw", "optimizer", Optimizer, "expected adam or adamw");
        Check(Lr > 0 && double.IsFinite(Lr), "lr", Lr, "must be a positive number");
        Check(WeightDecay >= 0 && double.IsFinite(WeightDecay), "weight_decay", WeightDecay, "must be >= 0");
        Check(Schedule is "constant" or "cosine", "schedule", Schedule, "expected constant or cosine");
        Check(WarmupSteps >= 0 && WarmupSteps <= Steps, "warmup_steps", WarmupSteps, $"must be in [0, steps = {Steps}]");
        Check(FinalLr >= 0 && double.IsFinite(FinalLr), "final_lr", FinalLr, "must be >= 0");
        Check(ClipGrad >= 0 && double.IsFinite(ClipGrad), "clip_grad", ClipGrad, "must be >= 0 (0 = no clipping)");
        Check(Noise >= 0 && double.IsFinite(Noise), "noise", Noise, "must be >= 0");
        Check(TestFraction is >= 0 and < 1, "test_fraction", TestFraction, "must be in [0, 1)");
        Check(!TimeInput || Model != "lnn", "time_input", TimeInput, "the lnn takes no time input (use hnn, dhnn or mlp for a driven system)");
        Check(LogEvery >= 1, "log_every", LogEvery, "must be >= 1");
        Check(CheckpointEvery >= 1, "checkpoint_every", CheckpointEvery, "must be >= 1");
        return this;
    }

    /// <summary>The config as YAML (what --print-config shows and what a run saves beside its checkpoints).</summary>
    public string ToYaml() => new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Serialize(this);

    [YamlIgnore]
    public DynamicsModelKind Kind => DynamicsModel.Parse(Model);
}
