using WeJepa.Core.Rng;

namespace WeJepa.Learning.Models.Masks;

/// <summary>
/// V-JEPA's two masks over N tokens of a square grid, as boolean arrays (B·N, row-major; true = masked):
/// <list type="bullet">
/// <item><see cref="RandomMasking"/>: per sample, a random ⌊N·(1 − r)⌋ tokens stay visible (argsort of uniform scores);</item>
/// <item><see cref="BlockMasking"/>: per sample, ⌊N·r / bs²⌋ square blocks of side bs (they may overlap, so at most
/// that many tokens are masked);</item>
/// <item><see cref="ContextAndTarget"/>: context mask = block masking, target = random masking ∧ ¬context mask, so no
/// token is in both masks. The context encoder sees the tokens the context mask leaves visible (a superset of the
/// targets); the target encoder sees the target tokens.</item>
/// </list>
/// Draws come from the caller's <see cref="SplitMix64"/>, so a seed fixes every mask.
/// </summary>
public sealed class MaskingStrategy
{
    public int Tokens { get; }
    public double MaskRatio { get; }
    public int BlockSize { get; }

    public MaskingStrategy(int tokens, double maskRatio = 0.75, int blockSize = 4)
    {
        if (tokens < 1) throw new ArgumentOutOfRangeException(nameof(tokens), tokens, "masking: tokens must be at least 1");
        if (!(maskRatio > 0 && maskRatio < 1))
            throw new ArgumentOutOfRangeException(nameof(maskRatio), maskRatio, "masking: mask_ratio must lie strictly between 0 and 1");
        if (blockSize < 1) throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "masking: block_size must be at least 1");
        (Tokens, MaskRatio, BlockSize) = (tokens, maskRatio, blockSize);
    }

    /// <summary>Tokens left visible by <see cref="RandomMasking"/>: ⌊N·(1 − r)⌋ (Python's <c>int(N * (1.0 - r))</c>).</summary>
    public int KeptByRandomMasking => (int)(Tokens * (1.0 - MaskRatio));

    /// <summary>Blocks painted per sample by <see cref="BlockMasking"/>: ⌊N·r / bs²⌋.</summary>
    public int BlocksPerSample => (int)(Tokens * MaskRatio / (BlockSize * BlockSize));

    /// <summary>(B·N) true = masked; exactly <see cref="KeptByRandomMasking"/> false per sample.</summary>
    public bool[] RandomMasking(int batch, ref SplitMix64 rng)
    {
        CheckBatch(batch);
        int n = Tokens, keep = KeptByRandomMasking;
        if (keep < 1)
            throw new ArgumentOutOfRangeException(nameof(MaskRatio), MaskRatio, $"masking: mask_ratio {MaskRatio} leaves no visible token of {n}");
        var masked = new bool[batch * n];
        var scores = new double[n];
        var order = new int[n];
        for (int b = 0; b < batch; b++)
        {
            for (int i = 0; i < n; i++) (scores[i], order[i]) = (rng.NextDouble(), i);
            Array.Sort(scores, order);      // low → high: the first `keep` stay visible
            for (int i = keep; i < n; i++) masked[b * n + order[i]] = true;
        }
        return masked;
    }

    /// <summary>(B·N) true = inside one of <see cref="BlocksPerSample"/> square blocks; top-left corners uniform over every valid position.</summary>
    public bool[] BlockMasking(int batch, ref SplitMix64 rng)
    {
        CheckBatch(batch);
        int grid = SquareSide(), bs = BlockSize, blocks = BlocksPerSample;
        if (bs > grid)
            throw new ArgumentOutOfRangeException(nameof(BlockSize), bs, $"masking: block_size {bs} is larger than the {grid}×{grid} token grid");
        if (blocks < 1)
            throw new ArgumentOutOfRangeException(nameof(MaskRatio), MaskRatio,
                $"masking: mask_ratio {MaskRatio} of {Tokens} tokens is less than one {bs}×{bs} block");
        var masked = new bool[batch * Tokens];
        for (int b = 0; b < batch; b++)
            for (int k = 0; k < blocks; k++)
            {
                int top = MaskRandom.Below(ref rng, grid - bs + 1), left = MaskRandom.Below(ref rng, grid - bs + 1);
                for (int dy = 0; dy < bs; dy++)
                    for (int dx = 0; dx < bs; dx++)
                        masked[b * Tokens + (top + dy) * grid + left + dx] = true;
            }
        return masked;
    }

    /// <summary>The disjoint pair: context mask = block masking, target = random masking ∧ ¬context mask.</summary>
    public ContextTargetMasks ContextAndTarget(int batch, ref SplitMix64 rng)
    {
        var context = BlockMasking(batch, ref rng);
        var target = RandomMasking(batch, ref rng);
        for (int i = 0; i < target.Length; i++) target[i] &= !context[i];
        return new ContextTargetMasks(batch, Tokens, context, target);
    }

    int SquareSide()
    {
        int side = (int)Math.Round(Math.Sqrt(Tokens));
        if (side * side != Tokens)
            throw new ArgumentOutOfRangeException(nameof(Tokens), Tokens, $"masking: block masking needs a square token grid, but {Tokens} tokens is not a square");
        return side;
    }

    static void CheckBatch(int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "masking: batch must be at least 1");
    }
}

/// <summary>
/// V-JEPA's mask pair (B·N each, row-major). <see cref="ContextMasked"/>: true = hidden from the context encoder;
/// <see cref="Target"/>: true = a target token; never both true. The padded index forms list, per sample, the
/// tokens an encoder sees in order and then −1 (a zero token) up to N.
/// </summary>
public sealed record ContextTargetMasks(int Batch, int Tokens, bool[] ContextMasked, bool[] Target)
{
    /// <summary>(B·N) the tokens the context encoder sees (¬context mask), compacted and padded with −1.</summary>
    public int[] ContextIndex() => TokenMasks.PaddedIndex(ContextMasked.Select(m => !m).ToArray(), Batch, Tokens);

    /// <summary>(B·N) the target tokens, compacted and padded with −1.</summary>
    public int[] TargetIndex() => TokenMasks.PaddedIndex(Target, Batch, Tokens);
}
