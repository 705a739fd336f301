using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>
/// Geometry of a 2-D convolution, PyTorch <c>Conv2d(C, O, (KH, KW), stride=(SH, SW), padding=(PH, PW))</c> on one
/// (C, H, W) image, passed to kernels by value. The im2col matrix of an image is (K, L): K = C·KH·KW rows in the order
/// of a (O, C, KH, KW) weight's last three axes, L = Ho·Wo output positions row-major.
/// </summary>
public readonly struct ConvGeometry(int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW)
{
    public readonly int C = channels, H = height, W = width, KH = kernelH, KW = kernelW, SH = strideH, SW = strideW, PH = padH, PW = padW;
    public int OutH => (H + 2 * PH - KH) / SH + 1;
    public int OutW => (W + 2 * PW - KW) / SW + 1;
    public int K => C * KH * KW;
    public int L => OutH * OutW;
    public int Image => C * H * W;

    /// <summary>Offset into one image (C,H,W) of column l of im2col row k, or −1 where the window lies in the zero padding.</summary>
    public int Pixel(int k, int l)
    {
        int c = k / (KH * KW), ky = k / KW % KH, kx = k % KW;
        int y = l / OutW * SH - PH + ky, x = l % OutW * SW - PW + kx;
        return y >= 0 && y < H && x >= 0 && x < W ? (c * H + y) * W + x : -1;
    }
}

/// <summary>Convolution kernels (grid-stride): im2col and its adjoint, written as a gather so no atomics are needed.</summary>
public static class Conv2dKernels
{
    /// <summary>cols[b, k, l] = x[b, pixel(k, l)] or 0 in the padding. x is (B,C,H,W), cols is (B, K, L).</summary>
    [Kernel]
    public static void Im2Col(int total, ConvGeometry g, ArrayView<float> x, ArrayView<float> cols)
    {
        int per = g.K * g.L;
        for (int e = GridStride.Start; e < total; e += GridStride.Step)
        {
            int p = g.Pixel(e % per / g.L, e % g.L);
            cols[e] = p >= 0 ? x[e / per * g.Image + p] : 0f;
        }
    }

    /// <summary>dx[b,c,y,x] = Σ of dcols over the (ky, kx, oy, ox) whose window covers the pixel. dcols is (B,K,L), dx is (B,C,H,W).</summary>
    [Kernel]
    public static void Col2Im(int total, ConvGeometry g, ArrayView<float> dcols, ArrayView<float> dx)
    {
        for (int e = GridStride.Start; e < total; e += GridStride.Step)
            dx[e] = Conv2dAdjoint.Pixel(g, e, dcols);
    }

    // ------------------------------------------------------------ CPU host loops

    public static unsafe void Im2ColHost(int batch, ConvGeometry g, float* x, float* cols)
    {
        nint xp = (nint)x, cp = (nint)cols;
        HostLoops.ForRows(batch * g.K, g.L, (start, count) =>
        {
            for (int row = start; row < start + count; row++)   // row = b·K + k
            {
                int b = row / g.K, k = row % g.K;
                float* src = (float*)xp + (long)b * g.Image, dst = (float*)cp + (long)row * g.L;
                for (int l = 0; l < g.L; l++)
                {
                    int p = g.Pixel(k, l);
                    dst[l] = p >= 0 ? src[p] : 0f;
                }
            }
        });
    }

    // the gather reads the view directly: on the CPU accelerator an ArrayView is plain host memory
    public static void Col2ImHost(int batch, ConvGeometry g, ArrayView<float> dcols, ArrayView<float> dx)
        => HostLoops.For((long)batch * g.Image, (start, count) =>
        {
            for (int e = start; e < start + count; e++) dx[e] = Conv2dAdjoint.Pixel(g, e, dcols);
        });
}

/// <summary>The col2im gather, shared by the kernel and the host loop: one input pixel's gradient.</summary>
static class Conv2dAdjoint
{
    public static float Pixel(ConvGeometry g, int e, ArrayView<float> dcols)
    {
        int x = e % g.W, y = e / g.W % g.H, c = e / (g.W * g.H) % g.C, b = e / g.Image;
        long cols = (long)b * g.K * g.L;
        float acc = 0f;
        for (int ky = 0; ky < g.KH; ky++)
        {
            int ty = y + g.PH - ky;
            if (ty < 0 || ty % g.SH != 0 || ty / g.SH >= g.OutH) continue;
            for (int kx = 0; kx < g.KW; kx++)
            {
                int tx = x + g.PW - kx;
                if (tx < 0 || tx % g.SW != 0 || tx / g.SW >= g.OutW) continue;
                acc += dcols[cols + (long)((c * g.KH + ky) * g.KW + kx) * g.L + ty / g.SH * g.OutW + tx / g.SW];
            }
        }
        return acc;
    }
}

public static partial class Ops
{
    /// <summary>
    /// PyTorch <c>F.conv2d(x, weight, bias, stride, padding)</c>: x (B,C,H,W), weight (O,C,KH,KW), bias (O) →
    /// (B,O,Ho,Wo), Ho = ⌊(H + 2·PH − KH)/SH⌋ + 1. Runs as im2col (B, K, L) + one GEMM per image onto the broadcast
    /// bias (the output comes out in NCHW with no transpose); fused backward (first order only): dW = Σ_b dy_b·cols_bᵀ,
    /// dcols_b = Wᵀ·dy_b gathered back to pixels.
    /// </summary>
    public static unsafe Tensor Conv2d(Tensor x, Tensor weight, Tensor bias, (int H, int W) stride, (int H, int W) padding)
    {
        if (x.Rank != 4 || weight.Rank != 4 || bias.Rank != 1 || weight.Shape[1] != x.Shape[1] || bias.Shape[0] != weight.Shape[0])
            throw new ShapeError($"conv2d: needs x (B,C,H,W), weight (O,C,KH,KW), bias (O); got {Shapes.Format(x.Shape)}, " +
                                 $"{Shapes.Format(weight.Shape)}, {Shapes.Format(bias.Shape)}");
        if (stride.H < 1 || stride.W < 1 || padding.H < 0 || padding.W < 0)
            throw new ShapeError($"conv2d: stride ({stride.H}, {stride.W}) must be positive and padding ({padding.H}, {padding.W}) non-negative");
        FusedOps.SameDevice("conv2d", x, weight, bias);
        var device = x.Device;
        int B = x.Shape[0], O = weight.Shape[0];
        var g = new ConvGeometry(x.Shape[1], x.Shape[2], x.Shape[3], weight.Shape[2], weight.Shape[3], stride.H, stride.W, padding.H, padding.W);
        if (g.H + 2 * g.PH < g.KH || g.W + 2 * g.PW < g.KW)
            throw new ShapeError($"conv2d: padded input {g.H + 2 * g.PH}×{g.W + 2 * g.PW} of x {Shapes.Format(x.Shape)} is smaller than the {g.KH}×{g.KW} kernel");
        int K = g.K, L = g.L;
        Tensor output;
        using (Autograd.NoGrad(device)) output = Expand(Reshape(bias, O, 1, 1), [B, O, g.OutH, g.OutW]);
        using (var cols = ColumnMatrix(x, g))
            for (int b = 0; b < B; b++)   // y_b (O, L) = W (O, K) · cols_b (K, L) + bias
                device.Gemm(false, false, O, L, K, 1f, weight.View, K, cols.View.SubView((long)b * K * L, K * L), L, 1f,
                    output.View.SubView((long)b * O * L, O * L), L);
        return Tape.Record("conv2d", output, [x, weight, bias], (dy, needs) =>
        {
            FusedOps.EnsureFirstOrder("conv2d", dy);
            Tensor? dx = null, dw = null, db = null;
            if (needs[0])
            {
                using var dcols = Tensor.EmptyUnscoped(device, B, K, L);
                for (int b = 0; b < B; b++)   // dcols_b (K, L) = Wᵀ · dy_b
                    device.Gemm(true, false, K, L, O, 1f, weight.View, K, dy.View.SubView((long)b * O * L, O * L), L, 0f,
                        dcols.View.SubView((long)b * K * L, K * L), L);
                dx = Tensor.Empty(device, x.Shape);
                if (device.UseHostLoops) { device.SyncBeforeHostAccess(); Conv2dKernels.Col2ImHost(B, g, dcols.View, dx.View); }
                else device.Launch(Conv2dKernels.Col2Im, dx.Length, dx.Length, g, dcols.View, dx.View);
            }
            if (needs[1])
            {
                // gathered again rather than kept alive since the forward
                using var cols = ColumnMatrix(x, g);
                dw = Tensor.Empty(device, weight.Shape);
                for (int b = 0; b < B; b++)   // dW (O, K) += dy_b (O, L) · cols_bᵀ
                    device.Gemm(false, true, O, K, L, 1f, dy.View.SubView((long)b * O * L, O * L), L, cols.View.SubView((long)b * K * L, K * L), L,
                        b == 0 ? 0f : 1f, dw.View, K);
            }
            if (needs[2]) db = Sum(dy, [0, 2, 3]);
            return [dx, dw, db];
        }, x, weight);
    }

    // the im2col matrix (B, K, L) of the images, owned by the caller
    static unsafe Tensor ColumnMatrix(Tensor x, ConvGeometry g)
    {
        var device = x.Device;
        int B = x.Shape[0];
        var cols = Tensor.EmptyUnscoped(device, B, g.K, g.L);
        if (device.UseHostLoops) Conv2dKernels.Im2ColHost(B, g, FusedOps.Host(x), FusedOps.Host(cols));
        else device.Launch(Conv2dKernels.Im2Col, cols.Length, cols.Length, g, x.View, cols.View);
        return cols;
    }
}
