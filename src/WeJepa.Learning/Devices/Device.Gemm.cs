using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using CuBlas = WeJepa.Native.Cuda.CuBlas;
using CuBlasLibrary = WeJepa.Native.Cuda.CuBlasLibrary;

namespace WeJepa.Learning.Devices;

// GEMM: every matrix product of the engine goes through Gemm / GemmBatched. The CPU accelerator runs them on its
// buffers' host memory (OpenBLAS or oneDNN, per shape: CpuBlas), CUDA on cuBLAS (our own binding, for the
// strided-batched call) queued on the accelerator's stream, or on GemmKernels.Gemm where no libcublas loads.
public sealed partial class Device
{
    readonly CpuBlas? cpuBlas;
    CuBlas? cuBlas;
    string cudaGemmName = "";

    /// <summary>GEMM time and work on the CPU accelerator (where BLAS runs synchronously), per backend, for benchmark reports.</summary>
    public GemmCounters Counters { get; } = new();

    /// <summary>The CPU accelerator's BLAS choice (CUDA: always Auto, meaning cuBLAS).</summary>
    public BlasBackend Blas => cpuBlas?.Choice ?? BlasBackend.Auto;

    /// <summary>The backend one m×n×k product runs on (CPU accelerator; for reports and tests).</summary>
    public BlasBackend BlasFor(int m, int n, int k) => cpuBlas is null ? BlasBackend.Auto : CpuBlas.Pick(cpuBlas.Choice, cpuBlas.HasOneDnn, m, n, k);

    /// <summary>What runs <see cref="Gemm"/> on this device (for reports and `doctor`).</summary>
    public string BlasName => cpuBlas?.Describe() ?? cudaGemmName;

    /// <summary>What would run the CPU accelerator's GEMMs under <paramref name="choice"/> on this machine (`doctor`; opens no device).</summary>
    public static string DescribeCpuBlas(BlasBackend choice) => new CpuBlas(choice, Native.Dnnl.Dnnl.IsAvailable(), new GemmCounters()).Describe();

    void OpenCuBlas()
    {
        Accelerator.Bind(); // cuBLAS creates its handle in the current CUDA context
        cuBlas = CuBlas.TryCreate(CuBlasLibrary.CandidatesFromEnvironment(), out var why);
        if (cuBlas is null)
        {
            cudaGemmName = $"ILGPU GEMM kernel (cuBLAS unavailable: {why})";
            return;
        }
        cuBlas.SetStream(((CudaStream)Accelerator.DefaultStream).StreamPtr);
        cudaGemmName = $"cuBLAS ({cuBlas.LibraryPath})";
    }

    /// <summary>
    /// Row-major C (m×n) = alpha·op(A)·op(B) + beta·C, where op(A) is m×k and op(B) is k×n;
    /// lda/ldb/ldc are row strides of A, B, C as stored. No copies.
    /// </summary>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
        => GemmBatched(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);

    /// <summary>
    /// Strided-batched row-major GEMM, one call for all products: C_i = alpha·op(A_i)·op(B_i) + beta·C_i for i &lt; batch,
    /// where X_i is the matrix starting strideX elements after X_(i−1) (stride 0 shares an operand across the batch;
    /// C's products must not overlap). CPU: <see cref="CpuBlas"/>; CUDA: one cublasSgemmStridedBatched, computed as the
    /// column-major Cᵀ = op(B)ᵀ·op(A)ᵀ. Every view must hold the last element its batch touches (checked here: an
    /// out-of-range access would kill the process on the CPU accelerator).
    /// </summary>
    public unsafe void GemmBatched(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, long strideA, ArrayView<float> b, int ldb, long strideB,
        float beta, ArrayView<float> c, int ldc, long strideC, int batch)
    {
        if (m == 0 || n == 0 || batch == 0) return;
        CheckGemmOperand("A", a, transA ? k : m, transA ? m : k, lda, strideA, batch, m, n, k);
        CheckGemmOperand("B", b, transB ? n : k, transB ? k : n, ldb, strideB, batch, m, n, k);
        CheckGemmOperand("C", c, m, n, ldc, strideC, batch, m, n, k);
        if (cpuBlas is not null)
        {
            SyncBeforeHostAccess();
            cpuBlas.Gemm(transA, transB, m, n, k, alpha, HostPointer(a), lda, strideA, HostPointer(b), ldb, strideB,
                beta, HostPointer(c), ldc, strideC, batch);
            return;
        }
        if (cuBlas is not null)
        {
            int opA = transA ? CuBlas.OpT : CuBlas.OpN, opB = transB ? CuBlas.OpT : CuBlas.OpN;
            nint pa = a.LoadEffectiveAddressAsPtr(), pb = b.LoadEffectiveAddressAsPtr(), pc = c.LoadEffectiveAddressAsPtr();
            if (batch == 1) cuBlas.Sgemm(opB, opA, n, m, k, alpha, pb, ldb, pa, lda, beta, pc, ldc);
            else cuBlas.SgemmStridedBatched(opB, opA, n, m, k, alpha, pb, ldb, strideB, pa, lda, strideA, beta, pc, ldc, strideC, batch);
            AfterLaunch();
            return;
        }
        GemmWithKernel(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch);
    }

    /// <summary>The same product as <see cref="Gemm"/> by an ILGPU kernel (CUDA without cuBLAS; tested on the CPU accelerator).</summary>
    public void GemmWithKernel(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, ArrayView<float> b, int ldb, float beta, ArrayView<float> c, int ldc)
        => GemmWithKernel(transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);

    /// <summary>The same products as <see cref="GemmBatched"/> by one ILGPU kernel launch.</summary>
    public void GemmWithKernel(bool transA, bool transB, int m, int n, int k, float alpha,
        ArrayView<float> a, int lda, long strideA, ArrayView<float> b, int ldb, long strideB,
        float beta, ArrayView<float> c, int ldc, long strideC, int batch)
        => Launch(GemmKernels.Gemm, (long)m * n * batch,
            new GemmShape
            {
                M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc, TransA = transA ? 1 : 0, TransB = transB ? 1 : 0,
                Batch = batch, StrideA = strideA, StrideB = strideB, StrideC = strideC,
            },
            alpha, beta, a, b, c);

    // a rows×cols operand with row stride ld, batch copies stride apart, must fit in its view
    static void CheckGemmOperand(string name, ArrayView<float> view, int rows, int cols, int ld, long stride, int batch, int m, int n, int k)
    {
        long last = (batch - 1) * stride + (long)(rows - 1) * ld + cols;
        if (ld < cols || stride < 0 || (rows > 0 && cols > 0 && last > view.Length))
            throw new ArgumentException($"gemm (m {m}, n {n}, k {k}, batch {batch}): {name} is {rows}×{cols} with row stride {ld} and batch stride {stride}, " +
                                        $"needing {last} elements, but its view holds {view.Length}");
    }
}
