using ILGPU;
using ILGPU.Runtime;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>An int32 index outside its valid range, found on the device; the message names the op, the position and the bound.</summary>
public sealed class RowIndexError(string message) : ArgumentOutOfRangeException(null, message)
{
    /// <summary>Codes the validating kernels report with (index into <see cref="Ops"/>).</summary>
    public const int GatherRows = 1, ScatterRows = 2;

    static readonly string[] Ops = ["", "gather_rows", "scatter_rows"];

    public static RowIndexError Describe(int op, int position, int value, int bound, int columns) => new(
        $"{Ops[op]}: index [{position / columns}, {position % columns}] = {value} is not a row number in [0, {bound})" +
        " (found on the device, reported at the next sync point)");
}

/// <summary>
/// Row gather / scatter-add over int32 indices (B,K) into rows of (B,N,D): grid-stride kernels and host twins.
/// Indices are validated where they live: a kernel skips an index outside [0, N) (no memory is touched for it) and
/// records the first one in the device's check flags, which the host reads at the next sync point and throws as a
/// <see cref="RowIndexError"/>; the CPU host path reads the indices in place and throws right after the op.
/// Either way no index is copied to the host.
/// </summary>
public static class RowIndexKernels
{
    /// <summary>Records a bad index (the first one wins). flags is the device's check buffer (5).</summary>
    static void Report(ArrayView<int> flags, int code, int position, int value, int bound, int columns)
    {
        if (Atomic.CompareExchange(ref flags[0], 0, code) == 0)
        {
            flags[1] = position;
            flags[2] = value;
            flags[3] = bound;
            flags[4] = columns;
        }
    }

    /// <summary>y[b,k,:] = x[b, idx[b,k], :] (0 for a bad index). x is (B,N,D), idx is (B,K) int32, y is (B,K,D), flags (5).</summary>
    [Kernel]
    public static void Gather(int total, int N, int K, int D, ArrayView<float> x, ArrayView<int> idx, ArrayView<float> y, ArrayView<int> flags)
    {
        for (int e = GridStride.Start; e < total; e += GridStride.Step)
        {
            int bk = e / D, row = idx[bk];
            if ((uint)row < (uint)N) y[e] = x[(bk / K * N + row) * D + e % D];
            else
            {
                y[e] = 0f;
                if (e % D == 0) Report(flags, RowIndexError.GatherRows, bk, row, N, K);
            }
        }
    }

    /// <summary>
    /// y = 0; y[b, idx[b,k], :] += src[b,k,:]. One thread per (b, d) walks k in order: repeated indices add up
    /// deterministically, without atomics; a bad index adds nothing. src is (B,K,D), idx is (B,K) int32, y is (B,N,D), flags (5).
    /// </summary>
    [Kernel]
    public static void ScatterAdd(int columns, int N, int K, int D, ArrayView<float> src, ArrayView<int> idx, ArrayView<float> y, ArrayView<int> flags)
    {
        for (int t = GridStride.Start; t < columns; t += GridStride.Step)
        {
            int b = t / D, d = t % D;
            for (int n = 0; n < N; n++) y[(b * N + n) * D + d] = 0f;
            for (int k = 0; k < K; k++)
            {
                int row = idx[b * K + k];
                if ((uint)row < (uint)N) y[(b * N + row) * D + d] += src[(b * K + k) * D + d];
                else if (d == 0) Report(flags, RowIndexError.ScatterRows, b * K + k, row, N, K);
            }
        }
    }

    public static unsafe void GatherHost(int B, int N, int K, int D, float* x, int* idx, float* y)
    {
        nint xp = (nint)x, ip = (nint)idx, yp = (nint)y;
        HostLoops.ForRows(B * K, D, (start, count) =>
        {
            for (int bk = start; bk < start + count; bk++)
                new ReadOnlySpan<float>((float*)xp + ((long)bk / K * N + ((int*)ip)[bk]) * D, D).CopyTo(new Span<float>((float*)yp + (long)bk * D, D));
        });
    }

    public static unsafe void ScatterAddHost(int B, int N, int K, int D, float* src, int* idx, float* y)
    {
        nint sp = (nint)src, ip = (nint)idx, yp = (nint)y;
        HostLoops.ForRows(B, N * D, (start, count) =>
        {
            for (int b = start; b < start + count; b++)
            {
                new Span<float>((float*)yp + (long)b * N * D, N * D).Clear();
                for (int k = 0; k < K; k++)
                {
                    var row = new Span<float>((float*)yp + ((long)b * N + ((int*)ip)[b * K + k]) * D, D);
                    System.Numerics.Tensors.TensorPrimitives.Add(row, new ReadOnlySpan<float>((float*)sp + ((long)b * K + k) * D, D), row);
                }
            }
        });
    }

    /// <summary>Host-side shape and dtype checks of an index tensor: (B, K) int32 on the op's device.</summary>
    internal static void CheckShape(string op, Tensor indices, int B)
    {
        if (indices.DType != DType.Int32)
            throw new ShapeError($"{op}: indices must be an int32 tensor, got {indices.DType.Name()} {Shapes.Format(indices.Shape)}");
        if (indices.Rank != 2 || indices.Shape[0] != B)
            throw new ShapeError($"{op}: indices must be (B, K) with B = {B}, got {Shapes.Format(indices.Shape)}");
    }

    /// <summary>The CPU host path's validation, reading the indices where they are (no copy); throws before anything is written.</summary>
    static void CheckOnHost(int code, Tensor indices, int N)
    {
        var values = indices.Device.HostSpan(indices.Int32View);
        for (int i = 0; i < values.Length; i++)
            if ((uint)values[i] >= (uint)N) throw RowIndexError.Describe(code, i, values[i], N, indices.Shape[1]);
    }

    internal static unsafe void RunGather(Tensor x, Tensor indices, Tensor y)
    {
        var device = x.Device;
        int B = x.Shape[0], N = x.Shape[1], D = x.Shape[2], K = indices.Shape[1];
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            CheckOnHost(RowIndexError.GatherRows, indices, N);
            fixed (int* idx = device.HostSpan(indices.Int32View))
                GatherHost(B, N, K, D, FusedOps.Host(x), idx, FusedOps.Host(y));
        }
        else device.Launch(Gather, y.Length, y.Length, N, K, D, x.View, indices.Int32View, y.View, device.CheckFlags);
    }

    internal static unsafe void RunScatterAdd(Tensor src, Tensor indices, Tensor y)
    {
        var device = src.Device;
        int B = y.Shape[0], N = y.Shape[1], D = y.Shape[2], K = indices.Shape[1];
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            CheckOnHost(RowIndexError.ScatterRows, indices, N);
            fixed (int* idx = device.HostSpan(indices.Int32View))
                ScatterAddHost(B, N, K, D, FusedOps.Host(src), idx, FusedOps.Host(y));
        }
        else device.Launch(ScatterAdd, B * D, B * D, N, K, D, src.View, indices.Int32View, y.View, device.CheckFlags);
    }
}

public static partial class Ops
{
    /// <summary>
    /// Selects token rows: x (B,N,D), indices (B,K) int32 in [0, N) (e.g. the kept patches of a mask) → (B,K,D) with
    /// out[b,k,:] = x[b, indices[b,k], :], like <c>torch.gather</c> along dim 1. A bad index is a
    /// <see cref="RowIndexError"/> (see <see cref="RowIndexKernels"/> for when). The backward is
    /// <see cref="ScatterRows"/> (repeated indices accumulate), itself differentiable: second order works.
    /// </summary>
    public static Tensor GatherRows(Tensor x, Tensor indices)
    {
        if (x.Rank != 3) throw new ShapeError($"gather_rows: x must be (B, N, D), got {Shapes.Format(x.Shape)}");
        int B = x.Shape[0], N = x.Shape[1], D = x.Shape[2];
        FusedOps.SameDevice("gather_rows", x, indices);
        RowIndexKernels.CheckShape("gather_rows", indices, B);
        var y = Tensor.Empty(x.Device, B, indices.Shape[1], D);
        RowIndexKernels.RunGather(x, indices, y);
        return Tape.Record("gather_rows", y, [x], (dy, _) => [ScatterRows(dy, indices, N)], indices);
    }
}
