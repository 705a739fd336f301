using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using ILGPU;
using ILGPU.Algorithms;
using SpecializedValue = ILGPU.Runtime.SpecializedValue;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>Row-softmax kernels (grid-stride over rows) and their SIMD host twins for the CPU accelerator.</summary>
public static class SoftmaxKernels
{
    /// <summary>
    /// y[r,:] = softmax(x[r,:]), ignoring masked columns when <paramref name="masked"/> is 1 (their probability is 0):
    /// column c of row r is masked where mask[r / rowsPerMask, c] ≠ 0. x, y are (rows, cols); mask is
    /// (rows / rowsPerMask, cols), unread when unmasked. ILGPU compiles one variant per value of the flag, so the
    /// unmasked softmax pays for no mask loads. Every mask row must keep one column (checked before the launch).
    /// </summary>
    [Kernel]
    public static void Forward(int rows, int cols, int rowsPerMask, ILGPU.Runtime.SpecializedValue<int> masked, ArrayView<float> mask,
        ArrayView<float> x, ArrayView<float> y)
    {
        for (int r = GridStride.Start; r < rows; r += GridStride.Step)
        {
            int o = r * cols, m = r / rowsPerMask * cols;
            float max = float.NegativeInfinity;
            for (int c = 0; c < cols; c++)
                if (masked.Value == 0 || mask[m + c] == 0f) max = XMath.Max(max, x[o + c]);
            float sum = 0;
            for (int c = 0; c < cols; c++)
            {
                float e = masked.Value == 0 || mask[m + c] == 0f ? XMath.Exp(x[o + c] - max) : 0f;
                y[o + c] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int c = 0; c < cols; c++) y[o + c] *= inv;
        }
    }

    /// <summary>dx[r,:] = scale·y ⊙ (dy − Σ dy·y). y, dy, dx are (rows, cols); dx may be dy (in place).</summary>
    [Kernel]
    public static void Backward(int rows, int cols, float scale, ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        for (int r = GridStride.Start; r < rows; r += GridStride.Step)
        {
            int o = r * cols;
            float dot = 0;
            for (int c = 0; c < cols; c++) dot += dy[o + c] * y[o + c];
            for (int c = 0; c < cols; c++) dx[o + c] = scale * y[o + c] * (dy[o + c] - dot);
        }
    }

    // ------------------------------------------------------------ CPU host loops (same maths, SIMD)

    /// <summary>Host twin of <see cref="Forward"/> (mask null: unmasked).</summary>
    public static unsafe void ForwardHost(int rows, int cols, int rowsPerMask, float* mask, float* x, float* y)
    {
        nint xp = (nint)x, yp = (nint)y, mp = (nint)mask;
        HostLoops.ForRows(rows, cols, (start, count) =>
        {
            for (int r = start; r < start + count; r++)
            {
                var xr = new ReadOnlySpan<float>((float*)xp + (long)r * cols, cols);
                var yr = new Span<float>((float*)yp + (long)r * cols, cols);
                var mr = mp == 0 ? default : new ReadOnlySpan<float>((float*)mp + (long)(r / rowsPerMask) * cols, cols);
                float max = float.NegativeInfinity;
                if (mp == 0) max = TensorPrimitives.Max(xr);
                else
                    for (int c = 0; c < cols; c++)
                        if (mr[c] == 0f) max = MathF.Max(max, xr[c]);
                float sum = ExpShifted(xr, mr, max, yr);
                TensorPrimitives.Multiply(yr, 1f / sum, yr);
            }
        });
    }

    /// <summary>Host twin of <see cref="Backward"/>.</summary>
    public static unsafe void BackwardHost(int rows, int cols, float scale, float* y, float* dy, float* dx)
    {
        nint yp = (nint)y, dyp = (nint)dy, dxp = (nint)dx;
        HostLoops.ForRows(rows, cols, (start, count) =>
        {
            for (int r = start; r < start + count; r++)
            {
                var yr = new ReadOnlySpan<float>((float*)yp + (long)r * cols, cols);
                var dyr = new ReadOnlySpan<float>((float*)dyp + (long)r * cols, cols);
                var dxr = new Span<float>((float*)dxp + (long)r * cols, cols);
                float dot = TensorPrimitives.Dot(dyr, yr);
                // dx = (dy − dot) ⊙ y·scale
                TensorPrimitives.Subtract(dyr, dot, dxr);
                TensorPrimitives.Multiply(dxr, yr, dxr);
                if (scale != 1f) TensorPrimitives.Multiply(dxr, scale, dxr);
            }
        });
    }

    // y = exp(x − shift), 0 where mask ≠ 0 (mask empty: none masked); returns Σ y
    static float ExpShifted(ReadOnlySpan<float> x, ReadOnlySpan<float> mask, float shift, Span<float> y)
    {
        var s = new Vector<float>(shift);
        var negInf = new Vector<float>(float.NegativeInfinity);
        var acc = Vector<float>.Zero;
        bool masked = !mask.IsEmpty;
        int c = 0, n = x.Length, w = Vector<float>.Count;
        for (; c <= n - w; c += w)
        {
            var v = new Vector<float>(x.Slice(c)) - s;
            if (masked) v = Vector.ConditionalSelect(Vector.Equals(new Vector<float>(mask.Slice(c)), Vector<float>.Zero), v, negInf);
            var e = Vector.Exp(v);
            e.CopyTo(y.Slice(c));
            acc += e;
        }
        float sum = Vector.Sum(acc);
        for (; c < n; c++)
        {
            y[c] = masked && mask[c] != 0f ? 0f : MathF.Exp(x[c] - shift);
            sum += y[c];
        }
        return sum;
    }
}

public static partial class Ops
{
    /// <summary>Softmax over the last axis: x is (..., C) → (..., C). Fused backward (first order only).</summary>
    public static unsafe Tensor Softmax(Tensor x)
    {
        if (x.Rank == 0 || x.Shape[^1] == 0) throw new ShapeError($"softmax: needs a non-empty last axis, got {Shapes.Format(x.Shape)}");
        int cols = x.Shape[^1], rows = x.Length / cols;
        var y = Tensor.Empty(x.Device, x.Shape);
        SoftmaxRows(x.Device, rows, cols, null, 1, x.View, y.View);
        return Tape.Record("softmax", y, [x], (dy, _) =>
        {
            FusedOps.EnsureFirstOrder("softmax", dy);
            var dx = Tensor.Empty(x.Device, x.Shape);
            SoftmaxBackwardRows(x.Device, rows, cols, 1f, y.View, dy.View, dx.View);
            return [dx];
        }, y);
    }

    /// <summary>y = softmax of each row of x (rows, cols), columns with mask[row / rowsPerMask, col] ≠ 0 excluded; x may be y.</summary>
    internal static unsafe void SoftmaxRows(Device device, int rows, int cols, ArrayView<float>? mask, int rowsPerMask,
        ArrayView<float> x, ArrayView<float> y)
    {
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            SoftmaxKernels.ForwardHost(rows, cols, rowsPerMask, mask is { } m ? device.HostPointer(m) : null,
                device.HostPointer(x), device.HostPointer(y));
        }
        else device.Launch(SoftmaxKernels.Forward, rows, rows, cols, rowsPerMask, SpecializedValue.New(mask is null ? 0 : 1), mask ?? x, x, y);
    }

    /// <summary>dx = scale·y ⊙ (dy − Σ dy·y) per row of (rows, cols); dx may be dy.</summary>
    internal static unsafe void SoftmaxBackwardRows(Device device, int rows, int cols, float scale,
        ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx)
    {
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess();
            SoftmaxKernels.BackwardHost(rows, cols, scale, device.HostPointer(y), device.HostPointer(dy), device.HostPointer(dx));
        }
        else device.Launch(SoftmaxKernels.Backward, rows, rows, cols, scale, y, dy, dx);
    }
}
