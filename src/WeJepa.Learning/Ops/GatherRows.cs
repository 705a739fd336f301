using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>Double-precision specification of <c>Ops.GatherRows</c>: out[b,k,:] = x[b, idx[b,k], :].</summary>
public static class GatherRowsReference
{
    // x is (B,N,D), idx is (B,K) with values in [0,N) → (B,K,D)
    public static double[] Forward(double[] x, int[] idx, int B, int N, int K, int D)
    {
        var y = new double[B * K * D];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
                Array.Copy(x, (b * N + idx[b * K + k]) * D, y, (b * K + k) * D, D);
        return y;
    }

    // the adjoint: dx[b, idx[b,k], :] += dy[b,k,:] (repeated indices accumulate)
    public static double[] Backward(double[] dy, int[] idx, int B, int N, int K, int D)
        => ScatterRowsReference.Forward(dy, idx, B, N, K, D);
}

/// <summary>Row gather / scatter-add kernels (grid-stride) and host twins. Indices are float tensors holding integers.</summary>
public static class RowIndexKernels
{
    /// <summary>y[b,k,:] = x[b, idx[b,k], :]. x is (B,N,D), idx is (B,K), y is (B,K,D).</summary>
    [Kernel]
    public static void Gather(int total, int N, int K, int D, ArrayView<float> x, ArrayView<float> idx, ArrayView<float> y)
    {
        for (int e = GridStride.Start; e < total; e += GridStride.Step)
        {
            int bk = e / D;
            y[e] = x[(bk / K * N + (int)idx[bk]) * D + e % D];
        }
    }

    /// <summary>
    /// y = 0; y[b, idx[b,k], :] += src[b,k,:]. One thread per (b, d) walks k in order: repeated indices add up
    /// deterministically, without atomics. src is (B,K,D), idx is (B,K), y is (B,N,D).
    /// </summary>
    [Kernel]
    public static void ScatterAdd(int columns, int N, int K, int D, ArrayView<float> src, ArrayView<float> idx, ArrayView<float> y)
    {
        for (int t = GridStride.Start; t < columns; t += GridStride.Step)
        {
            int b = t / D, d = t % D;
            for (int n = 0; n < N; n++) y[(b * N + n) * D + d] = 0f;
            for (int k = 0; k < K; k++) y[(b * N + (int)idx[b * K + k]) * D + d] += src[(b * K + k) * D + d];
        }
    }

    public static unsafe void GatherHost(int B, int N, int K, int D, float* x, int[] idx, float* y)
    {
        nint xp = (nint)x, yp = (nint)y;
        HostLoops.ForRows(B * K, D, (start, count) =>
        {
            for (int bk = start; bk < start + count; bk++)
                new ReadOnlySpan<float>((float*)xp + ((long)bk / K * N + idx[bk]) * D, D).CopyTo(new Span<float>((float*)yp + (long)bk * D, D));
        });
    }

    public static unsafe void ScatterAddHost(int B, int N, int K, int D, float* src, int[] idx, float* y)
    {
        nint sp = (nint)src, yp = (nint)y;
        HostLoops.ForRows(B, N * D, (start, count) =>
        {
            for (int b = start; b < start + count; b++)
            {
                new Span<float>((float*)yp + (long)b * N * D, N * D).Clear();
                for (int k = 0; k < K; k++)
                {
                    var row = new Span<float>((float*)yp + ((long)b * N + idx[b * K + k]) * D, D);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>((float*)sp + ((long)b * K + k) * D, D), row);
                }
            }
        });
    }

    /// <summary>Host copy of an index tensor (B,K), checked: integers in [0, N). The error names the op and the first bad entry.</summary>
    internal static int[] Check(string op, Tensor indices, int B, int N)
    {
        if (indices.Rank != 2 || indices.Shape[0] != B)
            throw new ShapeError($"{op}: indices must be (B, K) with B = {B}, got {Shapes.Format(indices.Shape)}");
        var values = indices.ToArray();
        var result = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (!(v >= 0 && v < N) || v != MathF.Floor(v))
                throw new ArgumentOutOfRangeException(nameof(indices), v,
                    $"{op}: index [{i / indices.Shape[1]}, {i % indices.Shape[1]}] = {v} is not a row number in [0, {N})");
            result[i] = (int)v;
        }
        return result;
    }

    internal static unsafe void RunGather(Tensor x, Tensor indices, int[] idx, Tensor y)
    {
        var device = x.Device;
        int B = x.Shape[0], N = x.Shape[1], D = x.Shape[2], K = indices.Shape[1];
        if (device.UseHostLoops) GatherHost(B, N, K, D, FusedOps.Host(x), idx, FusedOps.Host(y));
        else device.Launch(Gather, y.Length, y.Length, N, K, D, x.View, indices.View, y.View);
    }

    internal static unsafe void RunScatterAdd(Tensor src, Tensor indices, int[] idx, Tensor y)
    {
        var device = src.Device;
        int B = y.Shape[0], N = y.Shape[1], D = y.Shape[2], K = indices.Shape[1];
        if (device.UseHostLoops) ScatterAddHost(B, N, K, D, FusedOps.Host(src), idx, FusedOps.Host(y));
        else device.Launch(ScatterAdd, B * D, B * D, N, K, D, src.View, indices.View, y.View);
    }
}

public static partial class Ops
{
    /// <summary>
    /// Selects token rows: x (B,N,D), indices (B,K) (a float tensor of integers in [0, N), e.g. the kept
    /// patches of a mask) → (B,K,D) with out[b,k,:] = x[b, indices[b,k], :], like <c>torch.gather</c> along dim 1.
    /// The backward is the scatter-add (repeated indices accumulate).
    /// </summary>
    public static Tensor GatherRows(Tensor x, Tensor indices)
    {
        if (x.Rank != 3) throw new ShapeError($"gather_rows: x must be (B, N, D), got {Shapes.Format(x.Shape)}");
        int B = x.Shape[0], N = x.Shape[1], D = x.Shape[2];
        FusedOps.SameDevice("gather_rows", x, indices);
        var idx = RowIndexKernels.Check("gather_rows", indices, B, N);
        var y = Tensor.Empty(x.Device, B, indices.Shape[1], D);
        RowIndexKernels.RunGather(x, indices, idx, y);
        return Tape.Record("gather_rows", y, [x], (dy, _) =>
        {
            FusedOps.EnsureFirstOrder("gather_rows", dy);
            var dx = Tensor.Empty(x.Device, x.Shape);
            RowIndexKernels.RunScatterAdd(dy, indices, idx, dx);
            return [dx];
        }, indices);
    }
}
