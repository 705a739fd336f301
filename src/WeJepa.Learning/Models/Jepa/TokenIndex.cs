namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// Per-sample token indices (B, K) row-major, e.g. a mask's context or one target block: each row's entries distinct
/// and in [0, N). Checked on the host before any kernel runs, so a bad mask is an error naming the sample and value.
/// </summary>
public sealed record TokenIndex
{
    public int Batch { get; }
    public int Count { get; }
    public int[] Values { get; }

    public TokenIndex(int batch, int count, int[] values, int tokens)
    {
        if (batch < 1 || count < 1 || values.Length != batch * count)
            throw new ShapeError($"token index: {values.Length} indices are not batch {batch} × count {count} (both positive)");
        var seen = new bool[tokens];
        for (int b = 0; b < batch; b++)
        {
            Array.Clear(seen);
            for (int k = 0; k < count; k++)
            {
                int n = values[b * count + k];
                if ((uint)n >= (uint)tokens)
                    throw new ShapeError($"token index: sample {b} lists token {n}, outside 0..{tokens - 1}");
                if (seen[n]) throw new ShapeError($"token index: sample {b} lists token {n} twice");
                seen[n] = true;
            }
        }
        (Batch, Count, Values) = (batch, count, values);
    }

    /// <summary>Target blocks (B, M, K) row-major (ijepa's <c>masks_pred</c> stacked) → one (B, K) index per block m.</summary>
    public static TokenIndex[] Blocks(int batch, int blocks, int count, int[] values, int tokens)
    {
        if (blocks < 1 || values.Length != batch * blocks * count)
            throw new ShapeError($"token index: {values.Length} indices are not batch {batch} × blocks {blocks} × count {count}");
        return Enumerable.Range(0, blocks).Select(m => new TokenIndex(batch, count,
            Enumerable.Range(0, batch).SelectMany(b => values.AsSpan((b * blocks + m) * count, count).ToArray()).ToArray(), tokens)).ToArray();
    }

    /// <summary>The (B, K) int32 index tensor <see cref="Ops.GatherRows"/> reads.</summary>
    public Tensor ToTensor(Devices.Device device) => Tensor.FromArray(device, Values, Batch, Count);
}
