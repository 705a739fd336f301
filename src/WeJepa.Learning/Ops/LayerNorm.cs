using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>LayerNorm kernels (grid-stride over rows; the parameter gradients over (row chunk, column)) and SIMD host twins.</summary>
public static class LayerNormKernels
{
    /// <summary>y = (x − mean)·rstd·w + b per row. x, y are (rows, cols); w, b are (cols); mean, rstd are (rows).</summary>
    [Kernel]
    public static void Forward(int rows, int cols, float eps, ArrayView<float> x, ArrayView<float> w, ArrayView<float> b,
        ArrayView<float> y, ArrayView<float> mean, ArrayView<float> rstd)
    {
        for (int r = GridStride.Start; r < rows; r += GridStride.Step)
        {
            int o = r * cols;
            float m = 0;
            for (int c = 0; c < cols; c++) m += x[o + c];
            m /= cols;
            float v = 0;
            for (int c = 0; c < cols; c++) v += (x[o + c] - m) * (x[o + c] - m);
            float s = XMath.Rsqrt(v / cols + eps);
            for (int c = 0; c < cols; c++) y[o + c] = (x[o + c] - m) * s * w[c] + b[c];
            mean[r] = m;
            rstd[r] = s;
        }
    }

    /// <summary>dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), g = dy·w. dy, x, dx are (rows, cols).</summary>
    [Kernel]
    public static void BackwardInput(int rows, int cols, ArrayView<float> dy, ArrayView<float> x, ArrayView<float> w,
        ArrayView<float> mean, ArrayView<float> rstd, ArrayView<float> dx)
    {
        for (int r = GridStride.Start; r < rows; r += GridStride.Step)
        {
            int o = r * cols;
            float m = mean[r], s = rstd[r], gMean = 0, gxMean = 0;
            for (int c = 0; c < cols; c++)
            {
                float g = dy[o + c] * w[c];
                gMean += g;
                gxMean += g * (x[o + c] - m) * s;
            }
            gMean /= cols;
            gxMean /= cols;
            for (int c = 0; c < cols; c++)
                dx[o + c] = s * (dy[o + c] * w[c] - gMean - (x[o + c] - m) * s * gxMean);
        }
    }

    /// <summary>
    /// Partial parameter gradients over row chunk k (rows [k·rows/chunks, (k+1)·rows/chunks)): partial[0,k,c] = Σ dy·x̂,
    /// partial[1,k,c] = Σ dy. One thread per (chunk, column): enough threads for a GPU, no atomics.
    /// dy, x are (rows, cols); partial is (2, chunks, cols).
    /// </summary>
    [Kernel]
    public static void BackwardParamsPartial(int rows, int cols, int chunks, ArrayView<float> dy, ArrayView<float> x,
        ArrayView<float> mean, ArrayView<float> rstd, ArrayView<float> partial)
    {
        for (int t = GridStride.Start; t < chunks * cols; t += GridStride.Step)
        {
            int k = t / cols, c = t % cols;
            int r0 = (int)((long)rows * k / chunks), r1 = (int)((long)rows * (k + 1) / chunks);
            float sw = 0, sb = 0;
            for (int r = r0; r < r1; r++)
            {
                float g = dy[r * cols + c];
                sw += g * (x[r * cols + c] - mean[r]) * rstd[r];
                sb += g;
            }
            partial[t] = sw;
            partial[chunks * cols + t] = sb;
        }
    }

    // ------------------------------------------------------------ CPU host loops (same maths, SIMD)

    public static unsafe void ForwardHost(int rows, int cols, float eps, float* x, float* w, float* b, float* y, float* mean, float* rstd)
    {
        nint xp = (nint)x, wp = (nint)w, bp = (nint)b, yp = (nint)y, mp = (nint)mean, sp = (nint)rstd;
        HostLoops.ForRows(rows, cols, (start, count) =>
        {
            var wr = new ReadOnlySpan<float>((float*)wp, cols);
            var br = new ReadOnlySpan<float>((float*)bp, cols);
            for (int r = start; r < start + count; r++)
            {
                var xr = new ReadOnlySpan<float>((float*)xp + (long)r * cols, cols);
                var yr = new Span<float>((float*)yp + (long)r * cols, cols);
                float m = TensorPrimitives.Sum(xr) / cols;
                float v = 0;
                for (int c = 0; c < cols; c++) v += (xr[c] - m) * (xr[c] - m);
                float s = 1f / MathF.Sqrt(v / cols + eps);
                int i = 0, n = Vector<float>.Count;
                Vector<float> vm = new(m), vs = new(s);
                for (; i <= cols - n; i += n)
                    ((new Vector<float>(xr.Slice(i)) - vm) * vs * new Vector<float>(wr.Slice(i)) + new Vector<float>(br.Slice(i))).CopyTo(yr.Slice(i));
                for (; i < cols; i++) yr[i] = (xr[i] - m) * s * wr[i] + br[i];
                ((float*)mp)[r] = m;
                ((float*)sp)[r] = s;
            }
        });
    }

    /// <summary>Host twin of <see cref="BackwardInput"/> (rows in parallel) and <see cref="BackwardParamsPartial"/> + the chunk sum (Ops.ReduceMiddle) (columns in parallel: deterministic).</summary>
    public static unsafe void BackwardHost(int rows, int cols, float* dy, float* x, float* w, float* mean, float* rstd,
        float* dx, float* dw, float* db)
    {
        nint dyp = (nint)dy, xp = (nint)x, wp = (nint)w, mp = (nint)mean, sp = (nint)rstd, dxp = (nint)dx, dwp = (nint)dw, dbp = (nint)db;
        int n = Vector<float>.Count;
        HostLoops.ForRows(rows, cols, (start, count) =>
        {
            var wr = new ReadOnlySpan<float>((float*)wp, cols);
            for (int r = start; r < start + count; r++)
            {
                var dyr = new ReadOnlySpan<float>((float*)dyp + (long)r * cols, cols);
                var xr = new ReadOnlySpan<float>((float*)xp + (long)r * cols, cols);
                var dxr = new Span<float>((float*)dxp + (long)r * cols, cols);
                float m = ((float*)mp)[r], s = ((float*)sp)[r];
                Vector<float> vm = new(m), vs = new(s), gSum = Vector<float>.Zero, gxSum = Vector<float>.Zero;
                int i = 0;
                for (; i <= cols - n; i += n)
                {
                    var g = new Vector<float>(dyr.Slice(i)) * new Vector<float>(wr.Slice(i));
                    gSum += g;
                    gxSum += g * (new Vector<float>(xr.Slice(i)) - vm) * vs;
                }
                float gMean = Vector.Sum(gSum), gxMean = Vector.Sum(gxSum);
                for (; i < cols; i++)
                {
                    gMean += dyr[i] * wr[i];
                    gxMean += dyr[i] * wr[i] * (xr[i] - m) * s;
                }
                gMean /= cols;
                gxMean /= cols;
                Vector<float> vgm = new(gMean), vgx = new(gxMean);
                for (i = 0; i <= cols - n; i += n)
                {
                    var xhat = (new Vector<float>(xr.Slice(i)) - vm) * vs;
                    (vs * (new Vector<float>(dyr.Slice(i)) * new Vector<float>(wr.Slice(i)) - vgm - xhat * vgx)).CopyTo(dxr.Slice(i));
                }
                for (; i < cols; i++) dxr[i] = s * (dyr[i] * wr[i] - gMean - (xr[i] - m) * s * gxMean);
            }
        });
        // dw, db: each chunk owns a range of columns and walks every row (no partial sums to merge)
        HostLoops.ForRows(cols, rows, (c0, cc) =>
        {
            var dwr = new Span<float>((float*)dwp + c0, cc);
            var dbr = new Span<float>((float*)dbp + c0, cc);
            dwr.Clear();
            dbr.Clear();
            for (int r = 0; r < rows; r++)
            {
                var dyr = new ReadOnlySpan<float>((float*)dyp + (long)r * cols + c0, cc);
                var xr = new ReadOnlySpan<float>((float*)xp + (long)r * cols + c0, cc);
                Vector<float> vm = new(((float*)mp)[r]), vs = new(((float*)sp)[r]);
                int i = 0;
                for (; i <= cc - n; i += n)
                {
                    var g = new Vector<float>(dyr.Slice(i));
                    (new Vector<float>(dwr.Slice(i)) + g * (new Vector<float>(xr.Slice(i)) - vm) * vs).CopyTo(dwr.Slice(i));
                    (new Vector<float>(dbr.Slice(i)) + g).CopyTo(dbr.Slice(i));
                }
                for (; i < cc; i++)
                {
                    dwr[i] += dyr[i] * (xr[i] - vm[0]) * vs[0];
                    dbr[i] += dyr[i];
                }
            }
        });
    }
}

public static partial class Ops
{
    /// <summary>
    /// Layer normalisation over the last axis with affine parameters, like PyTorch <c>F.layer_norm(x, (C,), w, b, eps)</c>:
    /// x is (..., C), weight and bias are (C). Caches each row's mean and 1/σ for the fused backward (first order only).
    /// </summary>
    public static Tensor LayerNorm(Tensor x, Tensor weight, Tensor bias, float eps = 1e-5f)
    {
        if (x.Rank == 0 || weight.Rank != 1 || bias.Rank != 1 || weight.Shape[0] != x.Shape[^1] || bias.Shape[0] != x.Shape[^1])
            throw new ShapeError($"layernorm: input {Shapes.Format(x.Shape)} needs weight and bias of shape [{(x.Rank == 0 ? 0 : x.Shape[^1])}], " +
                                 $"got {Shapes.Format(weight.Shape)} and {Shapes.Format(bias.Shape)}");
        FusedOps.SameDevice("layernorm", x, weight, bias);
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "layernorm: eps must be positive");
        var device = x.Device;
        int cols = x.Shape[^1], rows = cols == 0 ? 0 : x.Length / cols;
        var y = Tensor.Empty(device, x.Shape);
        var mean = Tensor.Empty(device, rows);
        var rstd = Tensor.Empty(device, rows);
        unsafe
        {
            if (device.UseHostLoops)
                LayerNormKernels.ForwardHost(rows, cols, eps, FusedOps.Host(x), FusedOps.Host(weight), FusedOps.Host(bias),
                    FusedOps.Host(y), FusedOps.Host(mean), FusedOps.Host(rstd));
            else device.Launch(LayerNormKernels.Forward, rows, rows, cols, eps, x.View, weight.View, bias.View, y.View, mean.View, rstd.View);
        }
        return Tape.Record("layernorm", y, [x, weight, bias], (dy, needs) =>
        {
            FusedOps.EnsureFirstOrder("layernorm", dy);
            var dx = Tensor.Empty(device, x.Shape);
            var dw = Tensor.Empty(device, cols);
            var db = Tensor.Empty(device, cols);
            unsafe
            {
                if (device.UseHostLoops)
                    LayerNormKernels.BackwardHost(rows, cols, FusedOps.Host(dy), FusedOps.Host(x), FusedOps.Host(weight),
                        FusedOps.Host(mean), FusedOps.Host(rstd), FusedOps.Host(dx), FusedOps.Host(dw), FusedOps.Host(db));
                else
                {
                    device.Launch(LayerNormKernels.BackwardInput, rows, rows, cols, dy.View, x.View, weight.View, mean.View, rstd.View, dx.View);
                    int chunks = Math.Clamp(rows / 32, 1, 128);
                    using var partial = Tensor.EmptyUnscoped(device, 2, chunks, cols);
                    device.Launch(LayerNormKernels.BackwardParamsPartial, (long)chunks * cols, rows, cols, chunks, dy.View, x.View, mean.View, rstd.View, partial.View);
                    ReduceMiddle(device, partial.View.SubView(0, (long)chunks * cols), dw.View, 1, chunks, cols);
                    ReduceMiddle(device, partial.View.SubView((long)chunks * cols, (long)chunks * cols), db.View, 1, chunks, cols);
                }
            }
            return [dx, dw, db];
        }, x, weight, mean, rstd);
    }
}
