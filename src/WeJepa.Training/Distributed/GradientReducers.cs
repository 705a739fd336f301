using WeJepa.Native.Mpi;

namespace WeJepa.Training.Distributed;

/// <summary>Picks the reducer for this process: an MPI rank when <c>mpirun</c> started it, else the single process.</summary>
public static class GradientReducers
{
    /// <summary>True when <c>mpirun</c> started this process (it sets <c>OMPI_COMM_WORLD_SIZE</c> in every rank).</summary>
    public static bool UnderMpirun => Environment.GetEnvironmentVariable(OpenMpi.WorldSizeVariable) is { Length: > 0 };

    /// <summary>MPI is initialised only under <c>mpirun</c>: a plain run never loads libmpi.</summary>
    public static IGradientReducer ForThisProcess() => UnderMpirun ? new MpiGradientReducer() : new SingleProcess();
}
