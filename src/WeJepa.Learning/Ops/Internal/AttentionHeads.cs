using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>Sizes of a token-major (B, N, P, H, dh) ↔ head-major (P, B, H, N, dh) permutation (P = 3 for packed q | k | v).</summary>
public struct HeadsShape
{
    public int B, N, P, H, Dh;
}

/// <summary>
/// The permutation that turns attention's per-(image, head) blocks into equal-stride ones, so each attention product is
/// one strided-batched GEMM: token-major x (B, N, P·H·dh) ↔ head-major (P, B, H, N, dh). Kernel and SIMD host twin.
/// </summary>
public static class AttentionHeads
{
    /// <summary>
    /// toHeads ≠ 0: heads[p, b, h, n, c] = tokens[b, n, p, h, c]; else the inverse, tokens[…] = heads[…].
    /// Grid-stride over the head-major elements.
    /// </summary>
    [Kernel]
    public static void Permute(HeadsShape s, int toHeads, ArrayView<float> tokens, ArrayView<float> heads)
    {
        long total = (long)s.P * s.B * s.H * s.N * s.Dh;
        for (long e = GridStride.Start; e < total; e += GridStride.Step)
        {
            long t = e / s.Dh;
            int c = (int)(e - t * s.Dh);
            int n = (int)(t % s.N); t /= s.N;
            int h = (int)(t % s.H); t /= s.H;
            int b = (int)(t % s.B);
            int p = (int)(t / s.B);
            long at = ((((long)b * s.N + n) * s.P + p) * s.H + h) * s.Dh + c;
            if (toHeads != 0) heads[e] = tokens[at];
            else tokens[at] = heads[e];
        }
    }

    /// <summary>tokens (B, N, P·H·dh) → heads (P, B, H, N, dh).</summary>
    public static void Split(Device device, int B, int N, int P, int H, int dh, ArrayView<float> tokens, ArrayView<float> heads)
        => Run(device, new HeadsShape { B = B, N = N, P = P, H = H, Dh = dh }, true, tokens, heads);

    /// <summary>heads (P, B, H, N, dh) → tokens (B, N, P·H·dh).</summary>
    public static void Merge(Device device, int B, int N, int P, int H, int dh, ArrayView<float> heads, ArrayView<float> tokens)
        => Run(device, new HeadsShape { B = B, N = N, P = P, H = H, Dh = dh }, false, tokens, heads);

    static unsafe void Run(Device device, HeadsShape s, bool toHeads, ArrayView<float> tokens, ArrayView<float> heads)
    {
        if (!device.UseHostLoops)
        {
            device.Launch(Permute, heads.Length, s, toHeads ? 1 : 0, tokens, heads);
            return;
        }
        device.SyncBeforeHostAccess();
        nint tp = (nint)device.HostPointer(tokens), hp = (nint)device.HostPointer(heads);
        // one head-major row (p, b, h, n) of dh floats is one contiguous run in each layout
        HostLoops.ForRows(s.P * s.B * s.H * s.N, s.Dh, (start, count) =>
        {
            for (int r = start; r < start + count; r++)
            {
                int n = r % s.N, t = r / s.N, h = t % s.H; t /= s.H;
                int b = t % s.B, p = t / s.B;
                var row = new Span<float>((float*)hp + (long)r * s.Dh, s.Dh);
                var run = new Span<float>((float*)tp + ((((long)b * s.N + n) * s.P + p) * s.H + h) * s.Dh, s.Dh);
                if (toHeads) run.CopyTo(row);
                else row.CopyTo(run);
            }
        });
    }
}
