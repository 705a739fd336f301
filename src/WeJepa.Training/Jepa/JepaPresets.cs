namespace WeJepa.Training.Jepa;

/// <summary>
/// Named starting points for <c>train jepa --config</c>: <c>pendulum64</c> (the default: the seed's encoder size,
/// D 384, depth 6, 6 heads, on 64×64 frames, patch 8), <c>tiny</c> (smoke tests and CI: seconds on a CPU),
/// <c>cifar32</c> (the seed's <c>default_config()</c> shape: 32×32, patch 4, D 192, depth 6) and <c>vit-b16-224</c>
/// (its <c>hf224_config()</c>: ViT-B/16 at 224×224). A <c>+conv</c> suffix (<c>pendulum64+conv</c>) passes the preset
/// through <see cref="AdaptForConvTokenizer"/>.
/// </summary>
public static class JepaPresets
{
    public const string Default = "pendulum64", ConvSuffix = "+conv";

    public static readonly string[] Names = ["pendulum64", "tiny", "cifar32", "vit-b16-224"];

    public static JepaConfig Get(string name)
    {
        bool conv = name.EndsWith(ConvSuffix, StringComparison.Ordinal);
        var baseName = conv ? name[..^ConvSuffix.Length] : name;
        var config = new JepaConfig($"preset {name}");
        var (d, k, m, o, h) = (config.Data, config.Mask, config.Model, config.Optimizer, config.Hardware);
        switch (baseName)
        {
            case "pendulum64":
                h.OutputDir = "runs/jepa";
                break;
            case "tiny":
                (d.BatchSize, d.FakeDataSize, d.ValidationBatches) = (8, 64, 1);
                (m.ImageSize, m.PatchSize, m.EmbedDim, m.Depth, m.Heads) = (16, 4, 32, 2, 2);
                (m.PredictorDim, m.PredictorDepth, m.PredictorHeads, m.Frames, m.TubeletSize) = (16, 1, 2, 2, 2);
                (k.TargetBlocks, k.MinKeep, k.BlockSize) = (2, 2, 1);
                (k.PredMaskScale, k.EncMaskScale) = ([0.15, 0.25], [0.6, 0.8]);
                (o.Steps, o.WarmupSteps, o.Lr, o.StartLr, o.FinalLr) = (20, 2, 1e-3, 1e-4, 1e-5);
                (h.LogEvery, h.CheckpointEvery, h.OutputDir) = (1, 10, "runs/jepa-tiny");
                break;
            case "cifar32":
                (m.ImageSize, m.PatchSize, m.EmbedDim, m.Depth, m.Heads) = (32, 4, 192, 6, 6);
                (m.PredictorDim, m.PredictorDepth, m.PredictorHeads) = (96, 3, 6);
                (d.BatchSize, h.OutputDir) = (128, "runs/jepa-cifar32");
                break;
            case "vit-b16-224":
                (m.ImageSize, m.PatchSize, m.EmbedDim, m.Depth, m.Heads) = (224, 16, 768, 12, 12);
                (m.PredictorDim, m.PredictorDepth, m.PredictorHeads) = (384, 6, 12);
                (d.BatchSize, o.Steps, o.WarmupSteps, h.OutputDir) = (32, 10000, 500, "runs/jepa-vit-b16-224");
                break;
            default:
                throw new WeJepa.Core.Errors.UserError($"--config {name}: neither a file nor a preset (presets: {string.Join(", ", Names)}, each also with {ConvSuffix})");
        }
        return conv ? AdaptForConvTokenizer(config) : config;
    }

    /// <summary>
    /// The seed's <c>adapt_config_for_backbone</c> for the convolutional tokenizer: a stem of log2(patch) stride-2
    /// stages yields the patch grid, so masks and position tables stay as they were; stage widths double from
    /// D/2^stages up to D/2 (at least 16); heads are lowered until they divide D. Only images (ijepa) take it.
    /// </summary>
    public static JepaConfig AdaptForConvTokenizer(JepaConfig config)
    {
        var m = config.Model;
        if (!int.IsPow2(m.PatchSize) || m.PatchSize < 2)
            throw config.Rejected("model.patch_size", m.PatchSize, "the conv stem halves the grid per stage: patch_size must be a power of 2");
        int stages = int.Log2(m.PatchSize);
        m.Kind = "ijepa";
        m.Tokenizer = "conv";
        m.ConvChannels = Enumerable.Range(0, stages).Select(i => Math.Max(16, m.EmbedDim >> (stages - i))).ToArray();
        while (m.EmbedDim % m.Heads != 0) m.Heads--;
        return config;
    }
}
