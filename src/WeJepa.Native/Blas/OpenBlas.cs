using System.Runtime.InteropServices;

namespace WeJepa.Native.Blas;

/// <summary>
/// OpenBLAS's CBLAS entry points (Debian package <c>libopenblas0-pthread</c>, soname
/// <c>libopenblas.so.0</c>), named after the C API. Pointers are raw host memory: the CPU
/// accelerator's buffers are passed directly, with no copy.
/// </summary>
public static unsafe partial class OpenBlas
{
    public const string Library = "libopenblas.so.0";
    public const string DebianPackage = "libopenblas0-pthread";

    public const int CblasRowMajor = 101;
    public const int CblasNoTrans = 111;
    public const int CblasTrans = 112;

    /// <summary>C = alpha·op(A)·op(B) + beta·C (cblas_sgemm).</summary>
    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    /// <summary>True when the shared library can be loaded (checked once, before the first call).</summary>
    public static bool IsAvailable() => NativeLibrary.TryLoad(Library, out _);
}
