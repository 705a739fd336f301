using System.Runtime.InteropServices;

namespace WeJepa.Native.Mpi;

/// <summary>
/// The few Open MPI 4.x calls data-parallel training needs (Debian package <c>openmpi-bin</c>, which brings
/// <c>libopenmpi3</c> and its soname <c>libmpi.so.40</c>), named after the C API. Open MPI's handles
/// (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>, …) are the addresses of the library's predefined objects
/// (<c>ompi_mpi_comm_world</c>, …), so they are looked up as exports rather than written as constants.
/// The library is opened with <c>RTLD_GLOBAL</c>, as mpi4py does: Open MPI's components (<c>mca_*.so</c>) are plugins,
/// and builds whose plugins do not link libmpi themselves resolve its symbols from the global namespace only. Debian's
/// 4.1.4 initialises either way (measured: a .NET <c>NativeLibrary.Load</c>, i.e. <c>RTLD_LOCAL</c>, works there too).
/// </summary>
public static unsafe partial class OpenMpi
{
    public const string Library = "libmpi.so.40";
    public const string DebianPackage = "openmpi-bin";

    /// <summary>Set by <c>mpirun</c> in every rank it starts: the only sign that this process is one of several.</summary>
    public const string WorldSizeVariable = "OMPI_COMM_WORLD_SIZE";

    public const int Success = 0;
    /// <summary>Open MPI's <c>MPI_IN_PLACE</c>: <c>((void *) 1)</c> in its mpi.h.</summary>
    public static readonly void* InPlace = (void*)1;

    const int RtldNow = 0x2, RtldGlobal = 0x100;

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)] private static partial nint dlopen(string file, int mode);
    [LibraryImport("libc", EntryPoint = "dlerror")] private static partial nint dlerror();

    static readonly Lazy<Api> api = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The loaded library's entry points and handles; throws <see cref="DllNotFoundException"/> when it does not load.</summary>
    public static Api Calls => api.Value;

    /// <summary>True when <see cref="Library"/> can be loaded.</summary>
    public static bool IsAvailable()
    {
        try { return api.Value is not null; }
        catch (DllNotFoundException) { return false; }
    }

    static Api Load()
    {
        var handle = dlopen(Library, RtldNow | RtldGlobal);
        if (handle == 0)
            throw new DllNotFoundException($"{Library} did not load ({Marshal.PtrToStringUTF8(dlerror())}); install the Debian package {DebianPackage}");
        return new Api(handle);
    }

    /// <summary>Function pointers and predefined handles of one loaded <c>libmpi</c>.</summary>
    public sealed class Api
    {
        public readonly nint CommWorld, Float, Double, OpSum;
        public readonly delegate* unmanaged<int*, byte***, int> Init;
        public readonly delegate* unmanaged<int*, int> Initialized;
        public readonly delegate* unmanaged<int> Finalize;
        public readonly delegate* unmanaged<int*, int> Finalized;
        public readonly delegate* unmanaged<nint, int*, int> CommRank, CommSize;
        /// <summary>MPI_Allreduce(sendbuf, recvbuf, count, datatype, op, comm).</summary>
        public readonly delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce;
        public readonly delegate* unmanaged<nint, int> Barrier;
        /// <summary>MPI_Error_string(code, buffer of MPI_MAX_ERROR_STRING = 256, length).</summary>
        public readonly delegate* unmanaged<int, byte*, int*, int> ErrorString;

        internal Api(nint library)
        {
            nint Export(string name) => NativeLibrary.GetExport(library, name);
            (CommWorld, Float, Double, OpSum) = (Export("ompi_mpi_comm_world"), Export("ompi_mpi_float"), Export("ompi_mpi_double"), Export("ompi_mpi_op_sum"));
            Init = (delegate* unmanaged<int*, byte***, int>)Export("MPI_Init");
            Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
            Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
            Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
            CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
            CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
            Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Export("MPI_Allreduce");
            Barrier = (delegate* unmanaged<nint, int>)Export("MPI_Barrier");
            ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        }

        /// <summary>Throws naming <paramref name="call"/> and MPI's own message when <paramref name="code"/> is not MPI_SUCCESS.</summary>
        public void Check(int code, string call)
        {
            if (code == Success) return;
            var text = stackalloc byte[256];
            int length = 0;
            var message = ErrorString(code, text, &length) == Success ? Marshal.PtrToStringUTF8((nint)text, length) : "unknown error";
            throw new InvalidOperationException($"{call} failed: {message} (MPI error {code})");
        }
    }
}
