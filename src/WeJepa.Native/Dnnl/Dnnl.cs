using System.Runtime.InteropServices;

namespace WeJepa.Native.Dnnl;

/// <summary>
/// oneDNN's BLAS-like entry point (Debian package <c>libdnnl2</c>, soname <c>libdnnl.so.2</c>), named after the
/// C API. <c>dnnl_sgemm</c> is row-major (unlike BLAS) and JITs code for the widest vector ISA the CPU has
/// (AVX-512 here, where OpenBLAS is pinned to its AVX2 kernels), at a per-call cost that only large products repay.
/// </summary>
public static unsafe partial class Dnnl
{
    public const string Library = "libdnnl.so.2";
    public const string DebianPackage = "libdnnl2";

    /// <summary>dnnl_status_t success.</summary>
    public const int Success = 0;

    /// <summary>C = alpha·op(A)·op(B) + beta·C, all row-major; trans is 'N' or 'T'; returns a dnnl_status_t.</summary>
    [LibraryImport(Library, EntryPoint = "dnnl_sgemm")]
    public static partial int dnnl_sgemm(byte transA, byte transB, long m, long n, long k,
        float alpha, float* a, long lda, float* b, long ldb, float beta, float* c, long ldc);

    [StructLayout(LayoutKind.Sequential)]
    public struct Version
    {
        public int Major, Minor, Patch;
        public byte* Hash;
        public uint CpuRuntime, GpuRuntime;
    }

    /// <summary>The library's version (dnnl_version; the struct is owned by the library).</summary>
    [LibraryImport(Library, EntryPoint = "dnnl_version")]
    public static partial Version* dnnl_version();

    /// <summary>True when the shared library can be loaded.</summary>
    public static bool IsAvailable() => NativeLibrary.TryLoad(Library, out _);
}
