using WeJepa.Core.Rng;

namespace WeJepa.Learning.Models.Masks;

/// <summary>A closed interval [Min, Max] a mask parameter is drawn from, uniformly.</summary>
public readonly record struct Interval(double Min, double Max)
{
    public static Interval Exactly(double value) => new(value, value);
    public override string ToString() => $"({Min}, {Max})";
}

/// <summary>The shape of one block in tokens, with the draws it came from (kept so tests can check their distributions).</summary>
public readonly record struct BlockShape(int Frames, int Height, int Width, double Scale, double AspectRatio)
{
    public int Count => Frames * Height * Width;
}

/// <summary>
/// I-JEPA's multi-block masks, on an image grid or a video's space-time grid (tubelet blocks):
/// <list type="bullet">
/// <item><b>targets</b>: <see cref="TargetBlocks"/> blocks per sample, one shape for the whole batch (so every target
/// block has the same token count and no truncation is ever needed): spatial area = scale·H·W with scale drawn from
/// <see cref="TargetScale"/> and, <i>independently</i>, height/width ratio from <see cref="TargetAspectRatio"/>;
/// extent in frames = duration·T from <see cref="TargetDuration"/> (video; 1 frame for images);</item>
/// <item><b>context</b>: one square block (scale from <see cref="ContextScale"/>, duration from
/// <see cref="ContextDuration"/>) minus every target token of the sample, so context and targets never overlap.</item>
/// </list>
/// Every block's corner is uniform over <i>all</i> positions where it fits (inclusive bounds: the last row, column and
/// frame are reachable). A sample whose context keeps fewer than <see cref="MinKeep"/> tokens is redrawn, at most
/// <see cref="MaxDraws"/> times. Contexts are then cut to the batch's smallest count by dropping a uniformly random
/// subset of each sample's tokens (not its last ones), so no region is systematically left out.
/// These are the three places where facebookresearch/ijepa's collator differs: its exclusive corner bound never reaches
/// the last row/column, one uniform drives both scale and aspect ratio, and truncating sorted indices to the batch
/// minimum drops the bottom-right patches.
/// </summary>
public sealed class MultiBlockMasking
{
    /// <summary>Draws per sample before giving up on <see cref="MinKeep"/>: a bound, never an endless loop.</summary>
    public const int MaxDraws = 100;

    public TokenGrid Grid { get; }
    public int TargetBlocks { get; }
    public Interval TargetScale { get; }
    public Interval TargetAspectRatio { get; }
    public Interval TargetDuration { get; }
    public Interval ContextScale { get; }
    public Interval ContextDuration { get; }
    public int MinKeep { get; }

    /// <param name="grid">tokens per frame row/column and frames (1 for images)</param>
    /// <param name="targetBlocks">npred</param>
    /// <param name="targetScale">fraction of a frame's H·W per target block (ijepa's pred_mask_scale)</param>
    /// <param name="targetAspectRatio">height / width of a target block (ijepa's aspect_ratio)</param>
    /// <param name="contextScale">fraction of a frame's H·W for the context block (ijepa's enc_mask_scale), aspect 1</param>
    /// <param name="minKeep">fewest context tokens a sample may keep</param>
    /// <param name="targetDuration">fraction of the frames a target block spans (default all: V-JEPA's tubes)</param>
    /// <param name="contextDuration">fraction of the frames the context block spans (default all)</param>
    public MultiBlockMasking(TokenGrid grid, int targetBlocks = 4, Interval? targetScale = null, Interval? targetAspectRatio = null,
        Interval? contextScale = null, int minKeep = 4, Interval? targetDuration = null, Interval? contextDuration = null)
    {
        Grid = grid;
        TargetBlocks = targetBlocks >= 1 ? targetBlocks : throw new ArgumentOutOfRangeException(nameof(targetBlocks), targetBlocks, "multi-block masks: npred must be at least 1");
        TargetScale = CheckFraction(targetScale ?? new Interval(0.15, 0.2), "pred_mask_scale");
        TargetAspectRatio = targetAspectRatio ?? new Interval(0.75, 1.5);
        if (!(TargetAspectRatio.Min > 0 && TargetAspectRatio.Min <= TargetAspectRatio.Max && double.IsFinite(TargetAspectRatio.Max)))
            throw new ArgumentOutOfRangeException(nameof(targetAspectRatio), TargetAspectRatio, $"multi-block masks: aspect_ratio {TargetAspectRatio} must satisfy 0 < min ≤ max");
        ContextScale = CheckFraction(contextScale ?? new Interval(0.85, 1.0), "enc_mask_scale");
        TargetDuration = CheckFraction(targetDuration ?? Interval.Exactly(1), "target duration");
        ContextDuration = CheckFraction(contextDuration ?? Interval.Exactly(1), "context duration");
        if (minKeep < 1) throw new ArgumentOutOfRangeException(nameof(minKeep), minKeep, "multi-block masks: min_keep must be at least 1");
        MinKeep = minKeep;
        // the most context any draw can keep: the largest context block, or everything but the smallest target block
        int best = Math.Min(Shape(ContextScale.Max, 1, ContextDuration.Max).Count,
                            Grid.Count - Shape(TargetScale.Min, ClosestToSquare(TargetAspectRatio), TargetDuration.Min).Count);
        if (minKeep > best)
            throw new ArgumentOutOfRangeException(nameof(minKeep), minKeep,
                $"multi-block masks: min_keep {minKeep} is impossible: at most {best} context tokens fit a {Grid.Frames}×{Grid.Height}×{Grid.Width} grid " +
                $"with enc_mask_scale {ContextScale} and pred_mask_scale {TargetScale}");
    }

    /// <summary>One batch of masks; the draws come from <paramref name="rng"/> (same seed, same masks).</summary>
    public BlockMasks Sample(int batch, ref SplitMix64 rng)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "multi-block masks: batch must be at least 1");
        var target = DrawShape(ref rng, TargetScale, TargetAspectRatio, TargetDuration);
        var context = DrawShape(ref rng, ContextScale, Interval.Exactly(1), ContextDuration);
        var targets = new int[batch * TargetBlocks * target.Count];
        var contexts = new List<int>[batch];
        var covered = new bool[Grid.Count];
        for (int b = 0; b < batch; b++)
        {
            for (int draw = 1; ; draw++)
            {
                Array.Clear(covered);
                for (int m = 0; m < TargetBlocks; m++)
                {
                    var span = targets.AsSpan((b * TargetBlocks + m) * target.Count, target.Count);
                    Place(ref rng, target, span);
                    foreach (int n in span) covered[n] = true;
                }
                var block = new int[context.Count];
                Place(ref rng, context, block);
                contexts[b] = block.Where(n => !covered[n]).ToList();
                if (contexts[b].Count >= MinKeep) break;
                if (draw == MaxDraws)
                    throw new InvalidOperationException(
                        $"multi-block masks: no context of at least min_keep {MinKeep} tokens in {MaxDraws} draws " +
                        $"(target block {target.Frames}×{target.Height}×{target.Width} × {TargetBlocks}, context block " +
                        $"{context.Frames}×{context.Height}×{context.Width}): lower min_keep, npred or pred_mask_scale");
            }
        }
        int keep = contexts.Min(c => c.Count);
        var contextIndex = new int[batch * keep];
        for (int b = 0; b < batch; b++)
            MaskRandom.Subset(ref rng, contexts[b], keep).CopyTo(contextIndex, b * keep);
        return new BlockMasks(batch, Grid.Count, keep, TargetBlocks, target.Count, contextIndex, targets, target, context);
    }

    /// <summary>A block shape from independent draws of scale, aspect ratio and duration, clamped to the grid.</summary>
    public BlockShape DrawShape(ref SplitMix64 rng, Interval scale, Interval aspectRatio, Interval duration)
    {
        double s = MaskRandom.Between(ref rng, scale.Min, scale.Max);
        double a = MaskRandom.Between(ref rng, aspectRatio.Min, aspectRatio.Max);
        double d = MaskRandom.Between(ref rng, duration.Min, duration.Max);
        return Shape(s, a, d);
    }

    BlockShape Shape(double scale, double aspectRatio, double duration)
    {
        double area = scale * Grid.Height * Grid.Width;
        int h = Math.Clamp((int)Math.Round(Math.Sqrt(area * aspectRatio)), 1, Grid.Height);
        int w = Math.Clamp((int)Math.Round(Math.Sqrt(area / aspectRatio)), 1, Grid.Width);
        int t = Math.Clamp((int)Math.Round(duration * Grid.Frames), 1, Grid.Frames);
        return new BlockShape(t, h, w, scale, aspectRatio);
    }

    // the block's tokens, ascending, at a corner uniform over all positions where it fits
    void Place(ref SplitMix64 rng, BlockShape shape, Span<int> tokens)
    {
        int t0 = MaskRandom.Below(ref rng, Grid.Frames - shape.Frames + 1);
        int y0 = MaskRandom.Below(ref rng, Grid.Height - shape.Height + 1);
        int x0 = MaskRandom.Below(ref rng, Grid.Width - shape.Width + 1);
        int k = 0;
        for (int t = t0; t < t0 + shape.Frames; t++)
            for (int y = y0; y < y0 + shape.Height; y++)
                for (int x = x0; x < x0 + shape.Width; x++)
                    tokens[k++] = Grid.Index(t, y, x);
    }

    static double ClosestToSquare(Interval aspect) => Math.Clamp(1.0, aspect.Min, aspect.Max);

    static Interval CheckFraction(Interval r, string name)
    {
        if (!(r.Min > 0 && r.Min <= r.Max && r.Max <= 1))
            throw new ArgumentOutOfRangeException(name, r, $"multi-block masks: {name} {r} must satisfy 0 < min ≤ max ≤ 1");
        return r;
    }
}

/// <summary>
/// One batch of multi-block masks as int32 token indices, each list ascending: <see cref="Context"/> (B, Nc) and
/// <see cref="Targets"/> (B, M, Nt), the layouts of <c>context_index</c> and <c>target_index</c>.
/// </summary>
public sealed record BlockMasks(int Batch, int Tokens, int ContextCount, int TargetBlocks, int TargetCount,
    int[] Context, int[] Targets, BlockShape TargetShape, BlockShape ContextShape)
{
    /// <summary>(B·N) true where the context lists the token.</summary>
    public bool[] ContextMask() => TokenMasks.ToBoolean(Context, Batch, Tokens);

    /// <summary>(B·N) true where any of the sample's target blocks lists the token.</summary>
    public bool[] TargetMask() => TokenMasks.ToBoolean(Targets, Batch, Tokens);
}
