namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// The adjoint of <see cref="GatherRows"/>: src (B,K,D), indices (B,K) int32 in [0, rows) → (B,rows,D), zero
    /// except out[b, indices[b,k], :] += src[b,k,:] (repeated indices accumulate, deterministically). A bad index is a
    /// <see cref="RowIndexError"/>. The backward is <see cref="GatherRows"/>, itself differentiable: second order works.
    /// </summary>
    public static Tensor ScatterRows(Tensor src, Tensor indices, int rows)
    {
        if (src.Rank != 3) throw new ShapeError($"scatter_rows: src must be (B, K, D), got {Shapes.Format(src.Shape)}");
        if (rows <= 0) throw new ShapeError($"scatter_rows: rows = {rows} must be positive");
        int B = src.Shape[0], K = src.Shape[1], D = src.Shape[2];
        FusedOps.SameDevice("scatter_rows", src, indices);
        RowIndexKernels.CheckShape("scatter_rows", indices, B);
        if (indices.Shape[1] != K)
            throw new ShapeError($"scatter_rows: indices {Shapes.Format(indices.Shape)} do not match src {Shapes.Format(src.Shape)}");
        var y = Tensor.Empty(src.Device, B, rows, D);
        RowIndexKernels.RunScatterAdd(src, indices, y);
        return Tape.Record("scatter_rows", y, [src], (dy, _) => [GatherRows(dy, indices)], indices);
    }
}
