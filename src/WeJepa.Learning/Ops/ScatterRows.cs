namespace WeJepa.Learning;

/// <summary>Double-precision specification of <c>Ops.ScatterRows</c>: out = 0; out[b, idx[b,k], :] += src[b,k,:].</summary>
public static class ScatterRowsReference
{
    // src is (B,K,D), idx is (B,K) with values in [0,N) → (B,N,D)
    public static double[] Forward(double[] src, int[] idx, int B, int N, int K, int D)
    {
        var y = new double[B * N * D];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
            {
                int dst = (b * N + idx[b * K + k]) * D, s = (b * K + k) * D;
                for (int d = 0; d < D; d++) y[dst + d] += src[s + d];
            }
        return y;
    }

    // the adjoint is a gather: dsrc[b,k,:] = dy[b, idx[b,k], :]
    public static double[] Backward(double[] dy, int[] idx, int B, int N, int K, int D)
        => GatherRowsReference.Forward(dy, idx, B, N, K, D);
}

public static partial class Ops
{
    /// <summary>
    /// The adjoint of <see cref="GatherRows"/>: src (B,K,D), indices (B,K) (integers in [0, rows)) → (B,rows,D),
    /// zero except out[b, indices[b,k], :] += src[b,k,:] (repeated indices accumulate, deterministically).
    /// The backward is the gather.
    /// </summary>
    public static Tensor ScatterRows(Tensor src, Tensor indices, int rows)
    {
        if (src.Rank != 3) throw new ShapeError($"scatter_rows: src must be (B, K, D), got {Shapes.Format(src.Shape)}");
        int B = src.Shape[0], K = src.Shape[1], D = src.Shape[2];
        FusedOps.SameDevice("scatter_rows", src, indices);
        var idx = RowIndexKernels.Check("scatter_rows", indices, B, rows);
        if (indices.Shape[1] != K)
            throw new ShapeError($"scatter_rows: indices {Shapes.Format(indices.Shape)} do not match src {Shapes.Format(src.Shape)}");
        var y = Tensor.Empty(src.Device, B, rows, D);
        RowIndexKernels.RunScatterAdd(src, indices, idx, y);
        return Tape.Record("scatter_rows", y, [src], (dy, _) =>
        {
            FusedOps.EnsureFirstOrder("scatter_rows", dy);
            var dsrc = Tensor.Empty(src.Device, src.Shape);
            RowIndexKernels.RunGather(dy, indices, idx, dsrc);
            return [dsrc];
        }, indices);
    }
}
