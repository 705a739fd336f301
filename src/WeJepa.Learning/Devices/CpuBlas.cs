using System.Diagnostics;
using WeJepa.Native.Blas;
using WeJepa.Native.Dnnl;

namespace WeJepa.Learning.Devices;

/// <summary>
/// The CPU accelerator's GEMMs on host memory (the buffers' own pointers: no copies), each product on the backend
/// <see cref="Pick"/> chooses for its shape, batched products in parallel over the batch when they are small.
/// </summary>
internal sealed unsafe class CpuBlas(BlasBackend choice, bool hasOneDnn, GemmCounters counters)
{
    /// <summary>
    /// Smallest product (m·n·k multiply-adds) and smallest side that oneDNN takes under <see cref="BlasBackend.Auto"/>.
    /// Measured here (2 threads, dnnl_sgemm vs cblas_sgemm called directly): 64³ 0.017 vs 0.026 ms (a wash, and batches
    /// of such products run faster as parallel single-threaded OpenBLAS calls), 96³ 0.025 vs 0.074 ms, 128³ 0.041 vs
    /// 0.159 ms, 4096×384×384 ~2–4× faster; once OpenBLAS threads a product (past 2¹⁸ multiply-adds) its spinning
    /// threads also collapse on a loaded machine where oneDNN's OpenMP ones (OMP_WAIT_POLICY=PASSIVE) do not.
    /// Skinny products (the HNN's k = 2 input layer) stay on OpenBLAS: memory-bound, and oneDNN's packing lost there
    /// (12 vs 0.66 ms for 4096×256×2 with its default OpenMP wait policy).
    /// </summary>
    internal const long OneDnnMinWork = 1L << 19;
    internal const int OneDnnMinSide = 32;

    public BlasBackend Choice { get; } = choice;
    public bool HasOneDnn { get; } = hasOneDnn;

    /// <summary>The backend that runs one m×n×k product under <paramref name="choice"/>.</summary>
    public static BlasBackend Pick(BlasBackend choice, bool hasOneDnn, long m, long n, long k) => choice switch
    {
        BlasBackend.OpenBlas => BlasBackend.OpenBlas,
        BlasBackend.OneDnn => BlasBackend.OneDnn,
        _ => hasOneDnn && Math.Min(m, Math.Min(n, k)) >= OneDnnMinSide && m * n * k >= OneDnnMinWork ? BlasBackend.OneDnn : BlasBackend.OpenBlas,
    };

    /// <summary>Refuses a choice the machine cannot honour: oneDNN asked for without libdnnl (naming the package).</summary>
    public static void EnsureAvailable(BlasBackend choice, bool hasOneDnn)
    {
        if (choice == BlasBackend.OneDnn && !hasOneDnn)
            throw new DeviceUnavailableError($"oneDNN ({Dnnl.Library}) was asked for but is missing: install the Debian package {Dnnl.DebianPackage} (or use the auto or OpenBLAS backend)",
                Dnnl.DebianPackage);
    }

    /// <summary>What runs the GEMMs, for reports and <c>doctor</c>.</summary>
    public string Describe() => Choice switch
    {
        BlasBackend.OpenBlas => $"OpenBLAS ({OpenBlas.Library})",
        BlasBackend.OneDnn => $"oneDNN {DnnlVersion()} ({Dnnl.Library})",
        _ => HasOneDnn
            ? $"auto: oneDNN {DnnlVersion()} ({Dnnl.Library}) for products of ≥ {OneDnnMinWork / 1e6:F1} M multiply-adds with every side ≥ {OneDnnMinSide}, OpenBLAS ({OpenBlas.Library}) below"
            : $"auto: OpenBLAS ({OpenBlas.Library}); oneDNN ({Dnnl.Library}) not found",
    };

    internal static string DnnlVersion()
    {
        var v = Dnnl.dnnl_version();
        return $"{v->Major}.{v->Minor}.{v->Patch}";
    }

    /// <summary>
    /// Row-major C_i = alpha·op(A_i)·op(B_i) + beta·C_i for i &lt; batch, X_i = x + i·strideX (a stride of 0 shares that
    /// operand; C's products must not overlap). Small products (below oneDNN's threshold) go to OpenBLAS, one per
    /// core in parallel (each too small for OpenBLAS to thread); large ones one after another, each threaded by its BLAS.
    /// </summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda, long strideA,
        float* b, int ldb, long strideB, float beta, float* c, int ldc, long strideC, int batch)
    {
        var backend = Pick(Choice, HasOneDnn, m, n, k);
        long start = Stopwatch.GetTimestamp();
        if (batch > 1 && backend == BlasBackend.OpenBlas && (long)m * n * k < OneDnnMinWork)
        {
            nint pa = (nint)a, pb = (nint)b, pc = (nint)c; // pointers cannot be captured by the lambda
            Parallel.For(0, batch, i => One(backend, transA, transB, m, n, k, alpha, (float*)pa + i * strideA, lda,
                (float*)pb + i * strideB, ldb, beta, (float*)pc + i * strideC, ldc));
        }
        else
            for (int i = 0; i < batch; i++)
                One(backend, transA, transB, m, n, k, alpha, a + i * strideA, lda, b + i * strideB, ldb, beta, c + i * strideC, ldc);
        counters.Record(backend, Stopwatch.GetElapsedTime(start), batch, 2.0 * m * n * k * batch);
    }

    static void One(BlasBackend backend, bool transA, bool transB, int m, int n, int k, float alpha, float* a, int lda,
        float* b, int ldb, float beta, float* c, int ldc)
    {
        if (backend == BlasBackend.OneDnn)
        {
            int status = Dnnl.dnnl_sgemm(transA ? (byte)'T' : (byte)'N', transB ? (byte)'T' : (byte)'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            if (status != Dnnl.Success)
                throw new InvalidOperationException($"dnnl_sgemm({(transA ? 'T' : 'N')}{(transB ? 'T' : 'N')}, m {m}, n {n}, k {k}, lda {lda}, ldb {ldb}, ldc {ldc}) failed: dnnl_status_t {status}");
        }
        else
            OpenBlas.cblas_sgemm(OpenBlas.CblasRowMajor, transA ? OpenBlas.CblasTrans : OpenBlas.CblasNoTrans,
                transB ? OpenBlas.CblasTrans : OpenBlas.CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
