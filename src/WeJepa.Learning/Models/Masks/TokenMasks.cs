namespace WeJepa.Learning.Models.Masks;

/// <summary>Conversions between the two forms of a mask: int32 token indices and a boolean view over all tokens.</summary>
public static class TokenMasks
{
    /// <summary>
    /// selected (B·N, row-major) → the seed's padded index form (B·N): row b lists its selected tokens in order,
    /// then −1 for each padding slot (a zero token), so every row has length N.
    /// </summary>
    public static int[] PaddedIndex(bool[] selected, int batch, int tokens)
    {
        CheckLength(selected.Length, batch, tokens);
        var index = new int[batch * tokens];
        for (int b = 0; b < batch; b++)
        {
            int k = 0;
            for (int n = 0; n < tokens; n++)
                if (selected[b * tokens + n]) index[b * tokens + k++] = n;
            Array.Fill(index, -1, b * tokens + k, tokens - k);
        }
        return index;
    }

    /// <summary>
    /// index (rows·count) with rows = B·groups → boolean view (B·N): true where any of sample b's groups lists the
    /// token (for I-JEPA's targets, the union of its blocks). −1 entries (padding) are skipped.
    /// </summary>
    public static bool[] ToBoolean(int[] index, int batch, int tokens)
    {
        if (batch < 1 || index.Length % batch != 0)
            throw new ArgumentException($"token masks: index length {index.Length} is not a multiple of batch {batch}");
        int perSample = index.Length / batch;
        var selected = new bool[batch * tokens];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < perSample; i++)
            {
                int n = index[b * perSample + i];
                if (n == -1) continue;
                if ((uint)n >= (uint)tokens)
                    throw new ArgumentOutOfRangeException(nameof(index), n, $"token masks: index {n} of sample {b} is outside 0..{tokens - 1}");
                selected[b * tokens + n] = true;
            }
        return selected;
    }

    static void CheckLength(int length, int batch, int tokens)
    {
        if (batch < 1 || tokens < 1 || length != batch * tokens)
            throw new ArgumentException($"token masks: mask length {length} is not batch {batch} × tokens {tokens}");
    }
}
