using ILGPU;

namespace WeJepa.Learning.Devices;

/// <summary>Sizes, row strides, transposes and batch strides of a row-major strided-batched GEMM (passed to the kernel by value).</summary>
public struct GemmShape
{
    public int M, N, K, Lda, Ldb, Ldc, TransA, TransB, Batch;
    public long StrideA, StrideB, StrideC;
}

/// <summary>The fallback GEMM: one output element per grid-stride step (correct everywhere, fast nowhere).</summary>
public static class GemmKernels
{
    /// <summary>
    /// c_q[i, j] = alpha·Σ_p op(a_q)[i, p]·op(b_q)[p, j] + beta·c_q[i, j] for each product q &lt; Batch, x_q starting at
    /// q·StrideX. op(a) is (M, K), op(b) (K, N), c (M, N), all row-major with row strides Lda, Ldb, Ldc.
    /// </summary>
    [Kernel]
    public static void Gemm(GemmShape s, float alpha, float beta, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        long perProduct = (long)s.M * s.N, n = perProduct * s.Batch;
        for (long index = GridStride.Start; index < n; index += GridStride.Step)
        {
            long q = index / perProduct, rest = index - q * perProduct;
            int i = (int)(rest / s.N), j = (int)(rest - (long)i * s.N);
            long ao = q * s.StrideA, bo = q * s.StrideB;
            float sum = 0f;
            for (int p = 0; p < s.K; p++)
                sum += (s.TransA != 0 ? a[ao + p * s.Lda + i] : a[ao + i * s.Lda + p]) * (s.TransB != 0 ? b[bo + j * s.Ldb + p] : b[bo + p * s.Ldb + j]);
            long at = q * s.StrideC + i * s.Ldc + j;
            c[at] = beta == 0f ? alpha * sum : alpha * sum + beta * c[at];
        }
    }
}
