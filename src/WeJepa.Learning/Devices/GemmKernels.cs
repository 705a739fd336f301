using ILGPU;

namespace WeJepa.Learning.Devices;

/// <summary>Sizes, row strides and transposes of a row-major GEMM (passed to the kernel by value).</summary>
public struct GemmShape
{
    public int M, N, K, Lda, Ldb, Ldc, TransA, TransB;
}

/// <summary>The fallback GEMM: one output element per grid-stride step (correct everywhere, fast nowhere).</summary>
public static class GemmKernels
{
    /// <summary>c[i, j] = alpha·Σ_p op(a)[i, p]·op(b)[p, j] + beta·c[i, j]. op(a) is (M, K), op(b) (K, N), c (M, N), all row-major with row strides Lda, Ldb, Ldc.</summary>
    [Kernel]
    public static void Gemm(GemmShape s, float alpha, float beta, ArrayView<float> a, ArrayView<float> b, ArrayView<float> c)
    {
        int n = s.M * s.N;
        for (int index = GridStride.Start; index < n; index += GridStride.Step)
        {
            int i = index / s.N, j = index - i * s.N;
            float sum = 0f;
            for (int p = 0; p < s.K; p++)
                sum += (s.TransA != 0 ? a[p * s.Lda + i] : a[i * s.Lda + p]) * (s.TransB != 0 ? b[j * s.Ldb + p] : b[p * s.Ldb + j]);
            int at = i * s.Ldc + j;
            c[at] = beta == 0f ? alpha * sum : alpha * sum + beta * c[at];
        }
    }
}
