using WeJepa.Core.Errors;
using WeJepa.Native.Mpi;

namespace WeJepa.Training.Distributed;

/// <summary>
/// The gradient reducer of a process that <c>mpirun</c> started: one Open MPI rank of <c>MPI_COMM_WORLD</c>.
/// <see cref="Average"/> is an in-place <c>MPI_Allreduce</c> (sum) scaled by 1/N, so each rank's gradient of its own
/// shard's mean loss becomes the gradient of the whole batch's mean loss. With two ranks the sum a + b is the same bits
/// on both, so the replicas stay identical; with more, Open MPI's reduction order may differ between ranks in the
/// last bits. MPI can be initialised once per process: the first reducer does it, <see cref="Dispose"/> finalises.
/// </summary>
public sealed unsafe class MpiGradientReducer : IGradientReducer
{
    // MPI_Allreduce takes an int count: longer buffers go in pieces.
    const int MaxChunk = 1 << 30;
    static int created;

    readonly OpenMpi.Api mpi;
    bool disposed;

    public int Rank { get; }
    public int WorldSize { get; }

    /// <summary>Initialises MPI (once per process); a missing <c>libmpi</c> is a missing machine piece (exit 3).</summary>
    public MpiGradientReducer()
    {
        if (Interlocked.Exchange(ref created, 1) != 0)
            throw new InvalidOperationException("MPI: one reducer per process (MPI_Init may be called only once)");
        try { mpi = OpenMpi.Calls; }
        catch (DllNotFoundException e) { throw new UserError($"MPI: {e.Message}", ExitCodes.MissingDependency, e); }
        int flag, rank, size;
        mpi.Check(mpi.Initialized(&flag), "MPI_Initialized");
        if (flag == 0) mpi.Check(mpi.Init(null, null), "MPI_Init");
        mpi.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        mpi.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        (Rank, WorldSize) = (rank, size);
    }

    public void Average(Span<float> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        fixed (float* p = values)
            for (int start = 0; start < values.Length; start += MaxChunk)
                mpi.Check(mpi.Allreduce(OpenMpi.InPlace, p + start, Math.Min(MaxChunk, values.Length - start), mpi.Float, mpi.OpSum, mpi.CommWorld), "MPI_Allreduce(float, sum)");
        float scale = 1f / WorldSize;
        for (int i = 0; i < values.Length; i++) values[i] *= scale;
    }

    public void Sum(Span<double> values)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        fixed (double* p = values)
            for (int start = 0; start < values.Length; start += MaxChunk)
                mpi.Check(mpi.Allreduce(OpenMpi.InPlace, p + start, Math.Min(MaxChunk, values.Length - start), mpi.Double, mpi.OpSum, mpi.CommWorld), "MPI_Allreduce(double, sum)");
    }

    /// <summary>Waits until every rank reaches this call (e.g. before rank 0 reads what the others wrote).</summary>
    public void Barrier()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        mpi.Check(mpi.Barrier(mpi.CommWorld), "MPI_Barrier");
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        int finalized;
        if (mpi.Finalized(&finalized) == OpenMpi.Success && finalized == 0) mpi.Finalize();
    }
}
