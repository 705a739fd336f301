using WeJepa.Core.Errors;
using WeJepa.Training.Config;
using WeJepa.Training.Jepa;

namespace WeJepa.Training.Loop;

/// <summary>The frame encoder: what it is and, for a JEPA, how it is pretrained on the live scene first.</summary>
public sealed class EncoderSection
{
    /// <summary>jepa (pretrained here), random-init (the same network untrained: a baseline) or pixels (pooled raw pixels).</summary>
    public string Kind { get; set; } = "jepa";
    /// <summary>pixels: the side of the pooled blocks.</summary>
    public int PixelPool { get; set; } = 4;
    /// <summary>jepa: ijepa or video-jepa (clips of <c>frames</c>; a frame is encoded as a still clip).</summary>
    public string JepaKind { get; set; } = "ijepa";
    public int PatchSize { get; set; } = 16;
    public int EmbedDim { get; set; } = 32;
    public int Depth { get; set; } = 2;
    public int Heads { get; set; } = 2;
    public int PredictorDim { get; set; } = 16;
    public int PredictorDepth { get; set; } = 1;
    /// <summary>Pretraining steps and frames per step (live frames of the scene through the bridge).</summary>
    public int Steps { get; set; } = 40;
    public int BatchSize { get; set; } = 16;
    public double Lr { get; set; } = 1e-3;
}

/// <summary>Which episodes the loop films: rounds of fresh training episodes, and the held-out ones it is scored on.</summary>
public sealed class EpisodesSection
{
    /// <summary>Rounds of the online loop: each films <c>per_round</c> fresh episodes, refits the head and trains the dynamics on.</summary>
    public int Rounds { get; set; } = 1;
    public int PerRound { get; set; } = 24;
    /// <summary>Frames per training episode (step 0 included), dt apart.</summary>
    public int Frames { get; set; } = 200;
    /// <summary>Held-out episodes (another seed), each filmed for <c>fit_frames</c> frames.</summary>
    public int Evaluation { get; set; } = 8;
    /// <summary>K: the first frames of a held-out episode its initial state is estimated from.</summary>
    public int FitFrames { get; set; } = 50;
    /// <summary>Steps of the scored rollout.</summary>
    public int Horizon { get; set; } = 200;
}

/// <summary>From estimated angles to states and derivatives (Savitzky–Golay).</summary>
public sealed class SmoothingSection
{
    public int Window { get; set; } = 21;
    public int Degree { get; set; } = 3;
}

/// <summary>The learned dynamics trained on the estimated states (and, as the oracle, on the true ones).</summary>
public sealed class LoopDynamicsSection
{
    /// <summary>hnn, dhnn or lnn for the loop; the baseline is always an mlp of the same width.</summary>
    public string Model { get; set; } = "hnn";
    public int Hidden { get; set; } = 64;
    /// <summary>Optimizer steps per round (the run continues the same model, Adam state and all, across rounds).</summary>
    public int StepsPerRound { get; set; } = 300;
    /// <summary>0: full batch.</summary>
    public int BatchSize { get; set; } = 0;
    public double Lr { get; set; } = 3e-3;
    /// <summary>Also train the oracle (the same model on true states) and the MLP baseline once the rounds are done.</summary>
    public bool Baselines { get; set; } = true;
}

public sealed class LoopHardwareSection
{
    public ulong Seed { get; set; }
    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; set; } = "auto";
}

/// <summary>
/// Everything a <c>train loop</c> / <c>demo</c> run depends on: presets <c>quick</c> (CI, under two minutes on two
/// cores) and <c>default</c> (the demo, under ten), then a YAML/JSON file, then <c>section.key=value</c> assignments.
/// </summary>
public sealed class LoopConfig : SectionedConfig
{
    public const string Default = "default";
    public static readonly string[] Presets = ["quick", "default"];

    public EncoderSection Encoder { get; set; } = new();
    public EpisodesSection Episodes { get; set; } = new();
    public SmoothingSection Smoothing { get; set; } = new();
    public LoopDynamicsSection Dynamics { get; set; } = new();
    public LoopHardwareSection Hardware { get; set; } = new();

    public LoopConfig(string source = "defaults") => Source = source;

    public static LoopConfig Resolve(string? preset, IEnumerable<string> assignments)
    {
        preset ??= Default;
        LoopConfig config;
        if (File.Exists(preset) || preset.EndsWith(".yaml") || preset.EndsWith(".yml") || preset.EndsWith(".json"))
        {
            config = new LoopConfig(preset);
            config.ApplyFile(preset);
        }
        else config = Preset(preset);
        foreach (var a in assignments) config.ApplyAssignment(a);
        return config.Validate();
    }

    public static LoopConfig FromFile(string path)
    {
        var config = new LoopConfig(path);
        config.ApplyFile(path);
        return config.Validate();
    }

    static LoopConfig Preset(string name)
    {
        var config = new LoopConfig($"preset {name}");
        var (e, p, d) = (config.Encoder, config.Episodes, config.Dynamics);
        switch (name)
        {
            case "quick":
                break;
            case "default":
                (e.PatchSize, e.Steps) = (8, 60);
                // the head reads θ to ~1e-4 rad: a wide quintic window then gives the least error in ω and α
                (config.Smoothing.Window, config.Smoothing.Degree) = (41, 5);
                (p.Rounds, p.PerRound, p.Frames, p.Evaluation) = (2, 24, 300, 16);
                (d.Hidden, d.StepsPerRound, d.BatchSize) = (96, 1000, 2048);
                break;
            default:
                throw new UserError($"--config {name}: neither a file nor a preset (presets: {string.Join(", ", Presets)})");
        }
        return config;
    }

    public LoopConfig Validate()
    {
        void Check(bool ok, string key, object value, string why) { if (!ok) throw Rejected(key, value, why); }
        void Positive(string key, int value) => Check(value >= 1, key, value, "must be >= 1");
        var (e, p, s, d) = (Encoder, Episodes, Smoothing, Dynamics);
        Check(e.Kind is "jepa" or "random-init" or "pixels", "encoder.kind", e.Kind, "expected jepa, random-init or pixels");
        Positive("encoder.pixel_pool", e.PixelPool);
        Check(e.JepaKind is "ijepa" or "video-jepa", "encoder.jepa_kind", e.JepaKind, "expected ijepa or video-jepa");
        Positive("encoder.steps", e.Steps);
        Check(e.BatchSize >= 2, "encoder.batch_size", e.BatchSize, "must be >= 2");
        Positive("episodes.rounds", p.Rounds);
        Check(p.PerRound >= 2, "episodes.per_round", p.PerRound, "must be >= 2 (the head's strength is picked on held-out training episodes)");
        Check(p.Frames >= s.Window, "episodes.frames", p.Frames, $"must be >= smoothing.window {s.Window}");
        Check(p.Evaluation >= 2, "episodes.evaluation", p.Evaluation, "must be >= 2");
        Check(p.FitFrames >= s.Window, "episodes.fit_frames", p.FitFrames, $"must be >= smoothing.window {s.Window}");
        Positive("episodes.horizon", p.Horizon);
        Check(s.Degree is >= 2 and <= 6, "smoothing.degree", s.Degree, "must be in [2, 6] (the second derivative needs degree 2)");
        Check(s.Window >= s.Degree + 2, "smoothing.window", s.Window, $"must be >= degree + 2 = {s.Degree + 2}");
        Check(d.Model is "hnn" or "dhnn" or "lnn", "dynamics.model", d.Model, "expected hnn, dhnn or lnn");
        Positive("dynamics.hidden", d.Hidden);
        Positive("dynamics.steps_per_round", d.StepsPerRound);
        Check(d.BatchSize >= 0, "dynamics.batch_size", d.BatchSize, "must be >= 0 (0: full batch)");
        Check(d.Lr > 0 && double.IsFinite(d.Lr), "dynamics.lr", d.Lr, "must be a positive number");
        Check(Hardware.Device is "auto" or "cpu" or "cuda", "hardware.device", Hardware.Device, "expected auto, cpu or cuda");
        return this;
    }

    /// <summary>The JEPA this config pretrains on <paramref name="scenePath"/> (the tiny preset resized to the scene's frames).</summary>
    public JepaConfig Jepa(string scenePath, int imageSize, string outDir)
    {
        var e = Encoder;
        string[] assignments =
        [
            "data.source=live", $"data.scene={scenePath}", $"data.batch_size={e.BatchSize}", "data.validation_batches=0",
            $"model.kind={e.JepaKind}", $"model.image_size={imageSize}", $"model.patch_size={e.PatchSize}", $"model.embed_dim={e.EmbedDim}",
            $"model.depth={e.Depth}", $"model.heads={e.Heads}", $"model.predictor_dim={e.PredictorDim}", $"model.predictor_depth={e.PredictorDepth}",
            $"model.predictor_heads={Math.Min(e.Heads, e.PredictorDim)}", $"optimizer.steps={e.Steps}", $"optimizer.warmup_steps={Math.Max(1, e.Steps / 10)}",
            $"optimizer.lr={e.Lr}", $"hardware.seed={Hardware.Seed}", $"hardware.log_every={Math.Max(1, e.Steps / 20)}",
            $"hardware.checkpoint_every={e.Steps}", $"hardware.output_dir={outDir}", $"hardware.device={Hardware.Device}",
        ];
        return JepaConfig.Resolve("tiny", assignments);
    }
}
