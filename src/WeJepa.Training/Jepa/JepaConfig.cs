using WeJepa.Training.Config;

namespace WeJepa.Training.Jepa;

/// <summary>Where frames come from and how many per step.</summary>
public sealed class DataSection
{
    /// <summary>fake (uniform random frames), dataset (a <c>generate</c> folder) or live (a scene simulated on the fly).</summary>
    public string Source { get; set; } = "fake";
    /// <summary>The dataset folder (source dataset).</summary>
    public string Path { get; set; } = "";
    /// <summary>The scene file (source live).</summary>
    public string Scene { get; set; } = "";
    /// <summary>Samples per optimizer step over all ranks and accumulation micro-steps.</summary>
    public int BatchSize { get; set; } = 64;
    /// <summary>Batch of a validation pass (0: the training batch size).</summary>
    public int ValidationBatchSize { get; set; }
    /// <summary>Fraction of the episodes held out for validation (whole episodes: a split by episode).</summary>
    public double ValidationFraction { get; set; } = 0.1;
    /// <summary>Batches per validation pass (0: no validation).</summary>
    public int ValidationBatches { get; set; } = 2;
    /// <summary>Samples of one fake epoch (the fake stream repeats after them).</summary>
    public int FakeDataSize { get; set; } = 1024;
    /// <summary>Physics steps between two frames of the live stream (and of a live clip).</summary>
    public int LiveStride { get; set; } = 1;
    /// <summary>Augmentation: each sample's brightness is scaled by a factor uniform in [1 − b, 1 + b].</summary>
    public double Brightness { get; set; }
    /// <summary>Augmentation: Gaussian pixel noise of this σ (on top of the scene's own sensor noise).</summary>
    public double PixelNoise { get; set; }
}

/// <summary>Masking: I-JEPA's multi-block masks (ijepa, video-jepa) and V-JEPA's block/random pair (vjepa).</summary>
public sealed class MaskSection
{
    /// <summary>Target blocks per sample (ijepa's npred).</summary>
    public int TargetBlocks { get; set; } = 4;
    public double[] PredMaskScale { get; set; } = [0.15, 0.2];
    public double[] AspectRatio { get; set; } = [0.75, 1.5];
    public double[] EncMaskScale { get; set; } = [0.85, 1.0];
    public int MinKeep { get; set; } = 4;
    /// <summary>Fraction of the clip's frames a target tube spans (video-jepa).</summary>
    public double[] TargetDuration { get; set; } = [1.0, 1.0];
    public double[] ContextDuration { get; set; } = [1.0, 1.0];
    /// <summary>V-JEPA: fraction of tokens masked.</summary>
    public double MaskRatio { get; set; } = 0.75;
    /// <summary>V-JEPA: side of a square context-mask block, in tokens.</summary>
    public int BlockSize { get; set; } = 2;
}

/// <summary>The network: which JEPA, its encoder and predictor.</summary>
public sealed class ModelSection
{
    /// <summary>ijepa (EMA teacher), vjepa (the baseline with a frozen random target encoder) or video-jepa (tubelets, EMA teacher).</summary>
    public string Kind { get; set; } = "ijepa";
    public int ImageSize { get; set; } = 64;
    public int PatchSize { get; set; } = 8;
    /// <summary>patch (a strided convolution) or conv (a stem of 3×3 stride-2 convolutions; grid = image / 2^stages).</summary>
    public string Tokenizer { get; set; } = "patch";
    /// <summary>Widths of the conv stem's stages (tokenizer conv): log2(patch_size) of them.</summary>
    public int[] ConvChannels { get; set; } = [];
    public int EmbedDim { get; set; } = 384;
    public int Depth { get; set; } = 6;
    public int Heads { get; set; } = 6;
    public int PredictorDim { get; set; } = 192;
    public int PredictorDepth { get; set; } = 3;
    public int PredictorHeads { get; set; } = 6;
    /// <summary>Frames per clip (video-jepa).</summary>
    public int Frames { get; set; } = 4;
    public int TubeletSize { get; set; } = 2;
    /// <summary>smooth_l1 (ijepa) or mse.</summary>
    public string Loss { get; set; } = "smooth_l1";
}

/// <summary>AdamW with I-JEPA's schedules: lr warmup + cosine, cosine weight decay, linear EMA momentum.</summary>
public sealed class OptimizerSection
{
    public int Steps { get; set; } = 2000;
    public int WarmupSteps { get; set; } = 100;
    public double StartLr { get; set; } = 2e-4;
    public double Lr { get; set; } = 1e-3;
    public double FinalLr { get; set; } = 1e-6;
    public double WeightDecay { get; set; } = 0.04;
    public double FinalWeightDecay { get; set; } = 0.4;
    public double Beta1 { get; set; } = 0.9;
    public double Beta2 { get; set; } = 0.999;
    public double Eps { get; set; } = 1e-8;
    /// <summary>Teacher momentum at the first and the last step (linear in between).</summary>
    public double[] Ema { get; set; } = [0.996, 1.0];
    /// <summary>Global-norm clip of all trained gradients (0: off).</summary>
    public double ClipGrad { get; set; } = 1.0;
    /// <summary>Micro-batches per optimizer step (their gradients are averaged).</summary>
    public int AccumulationSteps { get; set; } = 1;
}

/// <summary>Seeds, cadence, where the run goes and what it runs on.</summary>
public sealed class HardwareSection
{
    public ulong Seed { get; set; }
    public int LogEvery { get; set; } = 10;
    public int CheckpointEvery { get; set; } = 500;
    /// <summary>Step checkpoints kept beside checkpoint.safetensors (the newest K).</summary>
    public int KeepCheckpoints { get; set; } = 2;
    public string OutputDir { get; set; } = "runs/jepa";
    /// <summary>auto, cpu or cuda.</summary>
    public string Device { get; set; } = "auto";
    /// <summary>fp32 (the engine trains in float32).</summary>
    public string Precision { get; set; } = "fp32";
    /// <summary>A warning when the teacher's mean per-dimension feature std falls under this (0: off).</summary>
    public double CollapseStd { get; set; } = 0.002;
}

/// <summary>
/// Everything a <c>train jepa</c> run depends on, in the seed's sections (data, mask, model, optimizer, hardware):
/// built from a preset (<see cref="JepaPresets"/>), then a YAML/JSON file, then <c>--set</c> assignments, then
/// <see cref="Validate"/>d. <see cref="SectionedConfig.ToYaml"/> of a resolved config loads back identically.
/// </summary>
public sealed partial class JepaConfig : SectionedConfig
{
    public DataSection Data { get; set; } = new();
    public MaskSection Mask { get; set; } = new();
    public ModelSection Model { get; set; } = new();
    public OptimizerSection Optimizer { get; set; } = new();
    public HardwareSection Hardware { get; set; } = new();

    public JepaConfig(string source = "defaults") => Source = source;

    public bool IsVideo => Model.Kind == "video-jepa";
    public bool HasTeacher => Model.Kind != "vjepa";
    /// <summary>Images per sample: the clip length for video, else 1.</summary>
    public int FramesPerSample => IsVideo ? Model.Frames : 1;

    /// <summary>
    /// The resolved config of <paramref name="preset"/> (a name, or a .yaml/.json file applied over the defaults), then
    /// each assignment, validated.
    /// </summary>
    public static JepaConfig Resolve(string? preset, IEnumerable<string> assignments)
    {
        preset ??= JepaPresets.Default;
        JepaConfig config;
        if (File.Exists(preset) || preset.EndsWith(".yaml") || preset.EndsWith(".yml") || preset.EndsWith(".json"))
        {
            config = new JepaConfig(preset);
            config.ApplyFile(preset);
        }
        else config = JepaPresets.Get(preset);
        foreach (var a in assignments) config.ApplyAssignment(a);
        return config.Validate();
    }

    /// <summary>A config read from YAML/JSON text alone (a run's saved config, a checkpoint's metadata).</summary>
    public static JepaConfig FromFile(string path)
    {
        var config = new JepaConfig(path);
        config.ApplyFile(path);
        return config.Validate();
    }
}
