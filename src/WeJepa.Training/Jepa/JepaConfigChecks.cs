namespace WeJepa.Training.Jepa;

public sealed partial class JepaConfig
{
    public static readonly string[] Kinds = ["ijepa", "vjepa", "video-jepa"];
    public static readonly string[] Sources = ["fake", "dataset", "live"];

    /// <summary>Rejects values no run can use and combinations that do not fit together, naming the key, its value and where it came from.</summary>
    public JepaConfig Validate()
    {
        void Check(bool ok, string key, object value, string why) { if (!ok) throw Rejected(key, value, why); }
        void Positive(string key, int value) => Check(value >= 1, key, value, "must be >= 1");
        void Fraction(string key, double[] r, double max = 1)
        {
            Check(r.Length == 2, key, r, "expected [min, max]");
            Check(r[0] > 0 && r[0] <= r[1] && r[1] <= max, key, r, $"must satisfy 0 < min <= max <= {max}");
        }
        var (d, k, m, o, h) = (Data, Mask, Model, Optimizer, Hardware);

        Check(Sources.Contains(d.Source), "data.source", d.Source, "expected one of " + string.Join(", ", Sources));
        Check(d.Source != "dataset" || d.Path.Length > 0, "data.path", d.Path, "data.source dataset needs the folder a `generate` wrote");
        Check(d.Source != "live" || d.Scene.Length > 0, "data.scene", d.Scene, "data.source live needs a scene file");
        Positive("data.batch_size", d.BatchSize);
        Check(d.ValidationBatchSize >= 0, "data.validation_batch_size", d.ValidationBatchSize, "must be >= 0 (0: the batch size)");
        Check(d.ValidationFraction is >= 0 and < 1, "data.validation_fraction", d.ValidationFraction, "must be in [0, 1)");
        Check(d.ValidationBatches >= 0, "data.validation_batches", d.ValidationBatches, "must be >= 0");
        Check(d.FakeDataSize >= d.BatchSize / Math.Max(1, o.AccumulationSteps), "data.fake_data_size", d.FakeDataSize, $"must hold at least one micro-batch ({d.BatchSize / Math.Max(1, o.AccumulationSteps)} samples)");
        Positive("data.live_stride", d.LiveStride);
        Check(d.Brightness is >= 0 and < 1, "data.brightness", d.Brightness, "must be in [0, 1)");
        Check(d.PixelNoise >= 0, "data.pixel_noise", d.PixelNoise, "must be >= 0");

        Check(Kinds.Contains(m.Kind), "model.kind", m.Kind, "expected one of " + string.Join(", ", Kinds));
        Positive("model.image_size", m.ImageSize);
        Positive("model.patch_size", m.PatchSize);
        Check(m.ImageSize % m.PatchSize == 0, "model.patch_size", m.PatchSize, $"model.image_size {m.ImageSize} is not a multiple of it");
        Check(m.Tokenizer is "patch" or "conv", "model.tokenizer", m.Tokenizer, "expected patch or conv");
        if (m.Tokenizer == "conv")
        {
            Check(m.Kind == "ijepa", "model.tokenizer", m.Tokenizer, $"the conv stem tokenizes images for ijepa, not {m.Kind}");
            Check(int.IsPow2(m.PatchSize) && m.PatchSize >= 2, "model.patch_size", m.PatchSize, "the conv stem halves the grid per stage: patch_size must be a power of 2");
            Check(m.ConvChannels.Length == int.Log2(m.PatchSize), "model.conv_channels", m.ConvChannels, $"needs log2(patch_size {m.PatchSize}) = {int.Log2(m.PatchSize)} stage widths");
            Check(m.ConvChannels.All(c => c >= 1), "model.conv_channels", m.ConvChannels, "widths must be >= 1");
        }
        Positive("model.embed_dim", m.EmbedDim);
        Positive("model.depth", m.Depth);
        Positive("model.heads", m.Heads);
        Check(m.EmbedDim % m.Heads == 0, "model.heads", m.Heads, $"model.embed_dim {m.EmbedDim} is not a multiple of it");
        Positive("model.predictor_dim", m.PredictorDim);
        Positive("model.predictor_depth", m.PredictorDepth);
        Positive("model.predictor_heads", m.PredictorHeads);
        Check(m.Kind == "vjepa" || m.PredictorDim % m.PredictorHeads == 0, "model.predictor_heads", m.PredictorHeads, $"model.predictor_dim {m.PredictorDim} is not a multiple of it");
        Positive("model.frames", m.Frames);
        Positive("model.tubelet_size", m.TubeletSize);
        Check(!IsVideo || m.Frames % m.TubeletSize == 0, "model.tubelet_size", m.TubeletSize, $"model.frames {m.Frames} is not a multiple of it");
        Check(!IsVideo || d.Source != "dataset", "data.source", d.Source, "clips (model.kind video-jepa) come from the live or the fake source");
        Check(m.Loss is "smooth_l1" or "mse", "model.loss", m.Loss, "expected smooth_l1 or mse");
        Check(m.Kind != "vjepa" || m.Loss == "mse", "model.loss", m.Loss, "vjepa's loss is mse");

        int grid = m.ImageSize / m.PatchSize;
        Positive("mask.target_blocks", k.TargetBlocks);
        Fraction("mask.pred_mask_scale", k.PredMaskScale);
        Fraction("mask.enc_mask_scale", k.EncMaskScale);
        Fraction("mask.target_duration", k.TargetDuration);
        Fraction("mask.context_duration", k.ContextDuration);
        Check(k.AspectRatio.Length == 2 && k.AspectRatio[0] > 0 && k.AspectRatio[0] <= k.AspectRatio[1], "mask.aspect_ratio", k.AspectRatio, "expected [min, max] with 0 < min <= max");
        Positive("mask.min_keep", k.MinKeep);
        Check(k.MaskRatio is > 0 and < 1, "mask.mask_ratio", k.MaskRatio, "must lie strictly between 0 and 1 (1 leaves no context token)");
        Positive("mask.block_size", k.BlockSize);
        if (m.Kind == "vjepa")
        {
            Check(k.BlockSize <= grid, "mask.block_size", k.BlockSize, $"larger than the {grid}×{grid} token grid");
            Check((int)(grid * grid * k.MaskRatio / (k.BlockSize * k.BlockSize)) >= 1, "mask.mask_ratio", k.MaskRatio, $"masks less than one {k.BlockSize}×{k.BlockSize} block of the {grid}×{grid} grid");
            Check((int)(grid * grid * (1 - k.MaskRatio)) >= 1, "mask.mask_ratio", k.MaskRatio, $"leaves no visible token of {grid * grid}");
        }

        Positive("optimizer.steps", o.Steps);
        Check(o.WarmupSteps >= 0 && o.WarmupSteps <= o.Steps, "optimizer.warmup_steps", o.WarmupSteps, $"must be in [0, optimizer.steps = {o.Steps}]");
        foreach (var (key, v) in new[] { ("optimizer.start_lr", o.StartLr), ("optimizer.final_lr", o.FinalLr), ("optimizer.weight_decay", o.WeightDecay), ("optimizer.final_weight_decay", o.FinalWeightDecay), ("optimizer.clip_grad", o.ClipGrad) })
            Check(v >= 0, key, v, "must be >= 0");
        Check(o.Lr > 0, "optimizer.lr", o.Lr, "must be > 0");
        Check(o.Beta1 is >= 0 and < 1, "optimizer.beta1", o.Beta1, "must be in [0, 1)");
        Check(o.Beta2 is >= 0 and < 1, "optimizer.beta2", o.Beta2, "must be in [0, 1)");
        Check(o.Eps > 0, "optimizer.eps", o.Eps, "must be > 0");
        Check(o.Ema.Length == 2 && o.Ema.All(v => v is >= 0 and <= 1), "optimizer.ema", o.Ema, "expected [start, end] momenta in [0, 1]");
        Positive("optimizer.accumulation_steps", o.AccumulationSteps);
        Check(d.BatchSize % o.AccumulationSteps == 0, "optimizer.accumulation_steps", o.AccumulationSteps, $"data.batch_size {d.BatchSize} is not a multiple of it");
        Check(d.BatchSize / o.AccumulationSteps >= 2, "data.batch_size", d.BatchSize, "a micro-batch needs at least 2 samples (the collapse diagnostics compare samples)");

        Positive("hardware.log_every", h.LogEvery);
        Positive("hardware.checkpoint_every", h.CheckpointEvery);
        Check(h.KeepCheckpoints >= 0, "hardware.keep_checkpoints", h.KeepCheckpoints, "must be >= 0");
        Check(h.OutputDir.Length > 0, "hardware.output_dir", h.OutputDir, "must name a folder");
        Check(h.Device is "auto" or "cpu" or "cuda", "hardware.device", h.Device, "expected auto, cpu or cuda");
        Check(h.Precision == "fp32", "hardware.precision", h.Precision, "the engine trains in fp32 (mixed precision belongs to the GPU path)");
        Check(h.CollapseStd >= 0, "hardware.collapse_std", h.CollapseStd, "must be >= 0");
        return this;
    }
}
