namespace WeJepa.Learning;

/// <summary>
/// The CPU accelerator's fast path: splits [0, n) into a few contiguous chunks run in parallel (one per
/// core) when the work is large enough to pay for the hand-off, else runs inline.
/// </summary>
static class HostLoops
{
    const int MinChunk = 1 << 15;

    /// <summary>Calls <paramref name="body"/>(start, count) over disjoint chunks covering [0, n).</summary>
    public static void For(long n, Action<int, int> body)
    {
        int chunks = (int)Math.Min(Environment.ProcessorCount, Math.Max(1, n / MinChunk));
        if (chunks <= 1)
        {
            if (n > 0) body(0, (int)n);
            return;
        }
        long per = (n + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            long start = c * per;
            long count = Math.Min(per, n - start);
            if (count > 0) body((int)start, (int)count);
        });
    }

    /// <summary>Like <see cref="For"/> over <paramref name="rows"/> rows of <paramref name="rowLength"/> elements, split on row boundaries.</summary>
    public static void ForRows(int rows, int rowLength, Action<int, int> body)
    {
        int minRows = Math.Max(1, MinChunk / Math.Max(1, rowLength));
        int chunks = Math.Min(Environment.ProcessorCount, Math.Max(1, rows / minRows));
        if (chunks <= 1)
        {
            if (rows > 0) body(0, rows);
            return;
        }
        int per = (rows + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            int start = c * per;
            int count = Math.Min(per, rows - start);
            if (count > 0) body(start, count);
        });
    }

    /// <summary>How many chunks <see cref="ForRowChunks"/> splits <paramref name="rows"/> rows into (≥ 1).</summary>
    public static int RowChunkCount(int rows, int rowLength)
    {
        int minRows = Math.Max(1, MinChunk / Math.Max(1, rowLength));
        return Math.Min(Environment.ProcessorCount, Math.Max(1, rows / minRows));
    }

    /// <summary>
    /// Like <see cref="ForRows"/>, also passing each chunk's index (0 … <see cref="RowChunkCount"/> − 1) to
    /// <paramref name="body"/>(chunk, start, count), called once per chunk even when empty: per-chunk partial sums,
    /// merged afterwards in chunk order, stay deterministic.
    /// </summary>
    public static void ForRowChunks(int rows, int rowLength, Action<int, int, int> body)
    {
        int chunks = RowChunkCount(rows, rowLength);
        int per = (rows + chunks - 1) / chunks;
        if (chunks <= 1) body(0, 0, rows);
        else Parallel.For(0, chunks, c => body(c, c * per, Math.Max(0, Math.Min(per, rows - c * per))));
    }
}
