namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// Batched matrix product op(A)·op(B): one strided-batched GEMM on the device BLAS, no copies.
    /// a is (..., M, K), or (..., K, M) when <paramref name="transA"/>; b is (..., K, N), or (..., N, K)
    /// when <paramref name="transB"/>. Batch dims must match, or one operand is 2-D and shared.
    /// Result (..., M, N).
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transA = false, bool transB = false)
    {
        if (a.Rank < 2 || b.Rank < 2)
            throw new ShapeError($"matmul: operands need rank ≥ 2, got {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)}");
        int rowsA = a.Shape[^2], colsA = a.Shape[^1], rowsB = b.Shape[^2], colsB = b.Shape[^1];
        int m = transA ? colsA : rowsA, k = transA ? rowsA : colsA;
        int kb = transB ? colsB : rowsB, n = transB ? rowsB : colsB;
        var batchA = a.Shape[..^2];
        var batchB = b.Shape[..^2];
        if (k != kb || (batchA.Length > 0 && batchB.Length > 0 && !Shapes.Equal(batchA, batchB)))
            throw new ShapeError($"matmul{(transA ? " (A transposed)" : "")}{(transB ? " (B transposed)" : "")}: shapes {Shapes.Format(a.Shape)} and {Shapes.Format(b.Shape)} do not multiply");

        // a shared B under an untransposed batched A is one tall GEMM: fold the batch into M
        if (batchA.Length > 0 && batchB.Length == 0 && !transA)
            return Reshape(MatMul(Reshape(a, -1, k), b, false, transB), [.. batchA, m, n]);

        var batch = batchA.Length > 0 ? batchA : batchB;
        var c = Tensor.Empty(a.Device, [.. batch, m, n]);
        int count = Shapes.Product(batch);
        long strideA = batchA.Length > 0 ? (long)m * k : 0, strideB = batchB.Length > 0 ? (long)k * n : 0;
        a.Device.GemmBatched(transA, transB, m, n, k, 1f, a.View, colsA, strideA, b.View, colsB, strideB,
            0f, c.View, n, (long)m * n, count);

        return Tape.Record("matmul", c, [a, b], (g, needs) =>
        {
            Tensor? da = null, db = null;
            if (needs[0])
                da = SumTo(transA ? MatMul(b, g, transB, true) : MatMul(g, b, false, !transB), a.Shape);
            if (needs[1])
                db = SumTo(transB ? MatMul(g, a, true, transA) : MatMul(a, g, !transA, false), b.Shape);
            return [da, db];
        }, a, b);
    }
}
