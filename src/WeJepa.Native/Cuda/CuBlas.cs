using System.Runtime.InteropServices;

namespace WeJepa.Native.Cuda;

/// <summary>
/// The few cuBLAS v2 entry points the engine calls, bound from whichever libcublas <see cref="CuBlasLibrary"/> finds
/// (ILGPU's own wrapper exposes the handle but not the strided-batched GEMM). cuBLAS is column-major; pointers are
/// device memory; alpha/beta are host scalars (the default pointer mode). One instance owns one handle.
/// </summary>
public sealed unsafe class CuBlas : IDisposable
{
    public const int OpN = 0, OpT = 1; // cublasOperation_t

    readonly nint library;
    nint handle;
    readonly delegate* unmanaged<nint, int> destroy;
    readonly delegate* unmanaged<nint, nint, int> setStream;
    readonly delegate* unmanaged<nint, int, int, int, int, int, float*, float*, int, float*, int, float*, float*, int, int> sgemm;
    readonly delegate* unmanaged<nint, int, int, int, int, int, float*, float*, int, long, float*, int, long, float*, float*, int, long, int, int> sgemmStridedBatched;

    /// <summary>The file that was loaded (a soname or a path).</summary>
    public string LibraryPath { get; }

    CuBlas(nint library, string path)
    {
        this.library = library;
        LibraryPath = path;
        var create = (delegate* unmanaged<nint*, int>)Export("cublasCreate_v2");
        destroy = (delegate* unmanaged<nint, int>)Export("cublasDestroy_v2");
        setStream = (delegate* unmanaged<nint, nint, int>)Export("cublasSetStream_v2");
        sgemm = (delegate* unmanaged<nint, int, int, int, int, int, float*, float*, int, float*, int, float*, float*, int, int>)Export("cublasSgemm_v2");
        sgemmStridedBatched = (delegate* unmanaged<nint, int, int, int, int, int, float*, float*, int, long, float*, int, long, float*, float*, int, long, int, int>)
            Export("cublasSgemmStridedBatched");
        nint h;
        Check(create(&h), "cublasCreate_v2");
        handle = h;
    }

    nint Export(string name) => NativeLibrary.TryGetExport(library, name, out var f) ? f
        : throw new EntryPointNotFoundException($"{LibraryPath} has no {name}");

    /// <summary>
    /// Loads the first of <paramref name="candidates"/> that loads and creates a handle (the caller has made its CUDA
    /// context current); null with the reasons when none does.
    /// </summary>
    public static CuBlas? TryCreate(IReadOnlyList<string> candidates, out string why)
    {
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            if (!NativeLibrary.TryLoad(candidate, out var lib)) { failures.Add($"{candidate}: not loadable"); continue; }
            try
            {
                why = "";
                return new CuBlas(lib, candidate);
            }
            catch (Exception e) when (e is EntryPointNotFoundException or CuBlasException)
            {
                failures.Add($"{candidate}: {e.Message}");
                NativeLibrary.Free(lib);
            }
        }
        why = failures.Count == 0 ? "no candidates" : string.Join("; ", failures);
        return null;
    }

    /// <summary>Queues this handle's work on a CUDA stream (a CUstream, e.g. ILGPU's CudaStream.StreamPtr).</summary>
    public void SetStream(nint stream) => Check(setStream(handle, stream), "cublasSetStream_v2");

    /// <summary>Column-major C = alpha·op(A)·op(B) + beta·C (cublasSgemm_v2).</summary>
    public void Sgemm(int transA, int transB, int m, int n, int k, float alpha, nint a, int lda, nint b, int ldb, float beta, nint c, int ldc)
        => Check(sgemm(handle, transA, transB, m, n, k, &alpha, (float*)a, lda, (float*)b, ldb, &beta, (float*)c, ldc), "cublasSgemm_v2");

    /// <summary>Column-major C_i = alpha·op(A_i)·op(B_i) + beta·C_i with X_i = X + i·strideX (cublasSgemmStridedBatched).</summary>
    public void SgemmStridedBatched(int transA, int transB, int m, int n, int k, float alpha, nint a, int lda, long strideA,
        nint b, int ldb, long strideB, float beta, nint c, int ldc, long strideC, int batch)
        => Check(sgemmStridedBatched(handle, transA, transB, m, n, k, &alpha, (float*)a, lda, strideA, (float*)b, ldb, strideB,
            &beta, (float*)c, ldc, strideC, batch), "cublasSgemmStridedBatched");

    static void Check(int status, string call)
    {
        if (status != 0) throw new CuBlasException($"{call} failed: cublasStatus_t {status}");
    }

    public void Dispose()
    {
        if (handle != 0) destroy(handle);
        handle = 0;
    }
}

public sealed class CuBlasException(string message) : Exception(message);
