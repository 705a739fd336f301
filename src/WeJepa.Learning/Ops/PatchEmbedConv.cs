using System.Numerics;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>Geometry of a kernel = stride patch grid, passed to kernels by value.</summary>
public readonly struct PatchGrid(int channels, int height, int width, int patch)
{
    public readonly int C = channels, Height = height, Width = width, P = patch;
    public int GridW => Width / P;
    public int Tokens => Height / P * (Width / P);
    /// <summary>Length of one flattened patch, in the order of a (D, C, p, p) weight's last three axes.</summary>
    public int PatchLength => C * P * P;

    /// <summary>Offset into one image (C,H,W) of element col of patch n's flattened (c, ky, kx).</summary>
    public int Pixel(int n, int col)
    {
        int c = col / (P * P), ky = col / P % P, kx = col % P;
        return (c * Height + n / GridW * P + ky) * Width + n % GridW * P + kx;
    }
}

/// <summary>Patch-embed kernels (grid-stride): the im2col gather and its adjoint.</summary>
public static class PatchEmbedConvKernels
{
    /// <summary>patches[b·N + n, col] = x[b, pixel(n, col)]. x is (B,C,H,W), patches is (B·N, C·p·p).</summary>
    [Kernel]
    public static void Gather(int total, PatchGrid g, ArrayView<float> x, ArrayView<float> patches)
    {
        int K = g.PatchLength, N = g.Tokens, image = g.C * g.Height * g.Width;
        for (int e = GridStride.Start; e < total; e += GridStride.Step)
        {
            int row = e / K;
            patches[e] = x[row / N * image + g.Pixel(row % N, e % K)];
        }
    }

    /// <summary>dx[b,c,y,x] = dpatches at that pixel's patch element, 0 for pixels outside the grid. dx is (B,C,H,W).</summary>
    [Kernel]
    public static void Scatter(int total, PatchGrid g, ArrayView<float> dpatches, ArrayView<float> dx)
    {
        int K = g.PatchLength, N = g.Tokens, P = g.P;
        for (int e = GridStride.Start; e < total; e += GridStride.Step)
        {
            int xx = e % g.Width, yy = e / g.Width % g.Height, c = e / (g.Width * g.Height) % g.C, b = e / (g.Width * g.Height * g.C);
            dx[e] = yy < g.Height / P * P && xx < g.GridW * P
                ? dpatches[(b * N + yy / P * g.GridW + xx / P) * K + (c * P + yy % P) * P + xx % P]
                : 0f;
        }
    }

    // ------------------------------------------------------------ CPU host loops

    public static unsafe void GatherHost(int batch, PatchGrid g, float* x, float* patches)
    {
        nint xp = (nint)x, pp = (nint)patches;
        int K = g.PatchLength, N = g.Tokens, P = g.P, image = g.C * g.Height * g.Width;
        HostLoops.ForRows(batch * N, K, (start, count) =>
        {
            for (int row = start; row < start + count; row++)
            {
                float* src = (float*)xp + (long)(row / N) * image, dst = (float*)pp + (long)row * K;
                for (int c = 0; c < g.C; c++)
                    for (int ky = 0; ky < P; ky++)   // one contiguous run of p pixels per (c, ky)
                        new ReadOnlySpan<float>(src + g.Pixel(row % N, (c * P + ky) * P), P).CopyTo(new Span<float>(dst + (c * P + ky) * P, P));
            }
        });
    }

    public static unsafe void ScatterHost(int batch, PatchGrid g, float* dpatches, float* dx)
    {
        nint dp = (nint)dpatches, xp = (nint)dx;
        int K = g.PatchLength, N = g.Tokens, P = g.P, gridH = g.Height / P * P, gridW = g.GridW * P;
        HostLoops.ForRows(batch * g.C * g.Height, g.Width, (start, count) =>
        {
            for (int line = start; line < start + count; line++)  // line = (b·C + c)·H + y
            {
                int yy = line % g.Height, c = line / g.Height % g.C, b = line / (g.Height * g.C);
                var dst = new Span<float>((float*)xp + (long)line * g.Width, g.Width);
                dst.Clear();
                if (yy >= gridH) continue;
                for (int px = 0; px * P < gridW; px++)
                {
                    float* src = (float*)dp + (long)(b * N + yy / P * g.GridW + px) * K + (c * P + yy % P) * P;
                    new ReadOnlySpan<float>(src, P).CopyTo(dst.Slice(px * P, P));
                }
            }
        });
    }

}

public static partial class Ops
{
    /// <summary>
    /// Patch embedding, PyTorch <c>Conv2d(C, D, kernel_size=p, stride=p)(x).flatten(2).transpose(1, 2)</c>:
    /// images (B,C,H,W), weight (D,C,p,p), bias (D) → tokens (B,N,D), N = (H/p)·(W/p) row-major over the patch
    /// grid (a remainder of H or W beyond whole patches is ignored). Runs as an im2col gather + one GEMM onto the
    /// broadcast bias; fused backward (first order only).
    /// </summary>
    public static unsafe Tensor PatchEmbedConv(Tensor images, Tensor weight, Tensor bias)
    {
        if (images.Rank != 4 || weight.Rank != 4 || bias.Rank != 1 || weight.Shape[1] != images.Shape[1] ||
            weight.Shape[2] != weight.Shape[3] || weight.Shape[2] <= 0 || bias.Shape[0] != weight.Shape[0])
            throw new ShapeError($"patch_embed: needs images (B,C,H,W), weight (D,C,p,p), bias (D); got {Shapes.Format(images.Shape)}, " +
                                 $"{Shapes.Format(weight.Shape)}, {Shapes.Format(bias.Shape)}");
        FusedOps.SameDevice("patch_embed", images, weight, bias);
        var device = images.Device;
        int B = images.Shape[0], D = weight.Shape[0];
        var g = new PatchGrid(images.Shape[1], images.Shape[2], images.Shape[3], weight.Shape[2]);
        if (g.Tokens == 0)
            throw new ShapeError($"patch_embed: images {Shapes.Format(images.Shape)} are smaller than one {g.P}×{g.P} patch");
        int rows = B * g.Tokens, K = g.PatchLength;
        Tensor output;
        using (Autograd.NoGrad(device)) output = Expand(bias, [B, g.Tokens, D]);
        using (var patches = PatchMatrix(images, g))
        {
            // tokens = patches·Wᵀ + bias
            device.Gemm(false, true, rows, D, K, 1f, patches.View, K, weight.View, K, 1f, output.View, D);
        }
        return Tape.Record("patch_embed", output, [images, weight, bias], (dy, needs) =>
        {
            FusedOps.EnsureFirstOrder("patch_embed", dy);
            Tensor? dx = null, dw = null, db = null;
            if (needs[0])
            {
                // dpatches = dy·W, then each patch element back to its pixel
                using var dpatches = Tensor.EmptyUnscoped(device, rows, K);
                device.Gemm(false, false, rows, K, D, 1f, dy.View, D, weight.View, K, 0f, dpatches.View, K);
                dx = Tensor.Empty(device, images.Shape);
                if (device.UseHostLoops) PatchEmbedConvKernels.ScatterHost(B, g, FusedOps.Host(dpatches), FusedOps.Host(dx));
                else device.Launch(PatchEmbedConvKernels.Scatter, dx.Length, dx.Length, g, dpatches.View, dx.View);
            }
            if (needs[1])
            {
                // dW = dyᵀ·patches (patches gathered again rather than kept alive since the forward)
                using var patches = PatchMatrix(images, g);
                dw = Tensor.Empty(device, weight.Shape);
                device.Gemm(true, false, D, K, rows, 1f, dy.View, D, patches.View, K, 0f, dw.View, K);
            }
            if (needs[2]) db = Sum(dy, [0, 1]);
            return [dx, dw, db];
        }, images, weight);
    }

    // the im2col matrix (B·N, C·p·p) of the images, owned by the caller
    static unsafe Tensor PatchMatrix(Tensor images, PatchGrid g)
    {
        var device = images.Device;
        int B = images.Shape[0];
        var patches = Tensor.EmptyUnscoped(device, B * g.Tokens, g.PatchLength);
        if (device.UseHostLoops) PatchEmbedConvKernels.GatherHost(B, g, FusedOps.Host(images), FusedOps.Host(patches));
        else device.Launch(PatchEmbedConvKernels.Gather, patches.Length, patches.Length, g, images.View, patches.View);
        return patches;
    }
}
