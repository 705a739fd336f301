namespace WeJepa.Training.Distributed;

/// <summary>
/// Data-parallel training's one collective: every worker trains on its own shard of the batch stream, then the
/// workers' flat gradient buffers are averaged so each applies the same optimizer step. One process is the
/// identity (<see cref="SingleProcess"/>); Open MPI ranks and, on GPU machines, NCCL implement the same call.
/// </summary>
public interface IGradientReducer : IDisposable
{
    /// <summary>This worker's index, 0 ≤ Rank &lt; WorldSize; rank 0 alone writes metrics and checkpoints.</summary>
    int Rank { get; }

    int WorldSize { get; }

    /// <summary>
    /// Replaces <paramref name="values"/> by their mean over all workers. Every worker calls it with the same length,
    /// in the same order (a collective: a worker that skips a call deadlocks the others).
    /// </summary>
    void Average(Span<float> values);

    /// <summary>Sums a few scalars (losses, counts) over all workers, in place.</summary>
    void Sum(Span<double> values);
}

/// <summary>The single-process reducer: there is nothing to average.</summary>
public sealed class SingleProcess : IGradientReducer
{
    public int Rank => 0;
    public int WorldSize => 1;
    public void Average(Span<float> values) { }
    public void Sum(Span<double> values) { }
    public void Dispose() { }
}
