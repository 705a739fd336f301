using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

/// <summary>
/// Double-precision specification of <c>Ops.MultiHeadAttention</c>: self-attention over packed projections
/// qkv (B,N,3D) = [q | k | v], H heads of size dh = D/H taking columns h·dh..(h+1)·dh of each, scale 1/√dh,
/// keys whose padding mask is true are ignored (PyTorch's <c>key_padding_mask</c>).
/// </summary>
public static class AttentionReference
{
    // qkv is (B,N,3D), keyPadding is (B,N) or null → out (B,N,D) (heads concatenated), probs (B,H,N,N)
    public static double[] Forward(double[] qkv, bool[]? keyPadding, int B, int N, int D, int H, out double[] probs)
    {
        int dh = D / H, C3 = 3 * D;
        double scale = 1.0 / Math.Sqrt(dh);
        var o = new double[B * N * D];
        probs = new double[B * H * N * N];
        var row = new double[N];
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int i = 0; i < N; i++)
                {
                    // s_ij = q_i·k_j / √dh, −∞ where key j is padding; p_i = softmax(s_i)
                    for (int j = 0; j < N; j++)
                    {
                        if (keyPadding != null && keyPadding[b * N + j]) { row[j] = double.NegativeInfinity; continue; }
                        double s = 0;
                        for (int c = 0; c < dh; c++)
                            s += qkv[(b * N + i) * C3 + h * dh + c] * qkv[(b * N + j) * C3 + D + h * dh + c];
                        row[j] = s * scale;
                    }
                    var p = SoftmaxReference.Forward(row, 1, N);
                    Array.Copy(p, 0, probs, ((b * H + h) * N + i) * N, N);
                    // o_i = Σ_j p_ij v_j
                    for (int c = 0; c < dh; c++)
                    {
                        double acc = 0;
                        for (int j = 0; j < N; j++) acc += p[j] * qkv[(b * N + j) * C3 + 2 * D + h * dh + c];
                        o[(b * N + i) * D + h * dh + c] = acc;
                    }
                }
        return o;
    }

    // dv_j = Σ_i p_ij do_i;  dp_ij = do_i·v_j;  ds_i = p_i ⊙ (dp_i − p_i·dp_i);
    // dq_i = Σ_j ds_ij k_j / √dh;  dk_j = Σ_i ds_ij q_i / √dh
    public static double[] Backward(double[] dout, double[] qkv, double[] probs, int B, int N, int D, int H)
    {
        int dh = D / H, C3 = 3 * D;
        double scale = 1.0 / Math.Sqrt(dh);
        var dqkv = new double[B * N * C3];
        var dp = new double[N];
        for (int b = 0; b < B; b++)
            for (int h = 0; h < H; h++)
                for (int i = 0; i < N; i++)
                {
                    int pRow = ((b * H + h) * N + i) * N;
                    var p = probs.AsSpan(pRow, N).ToArray();
                    for (int j = 0; j < N; j++)
                    {
                        double s = 0;
                        for (int c = 0; c < dh; c++)
                        {
                            double g = dout[(b * N + i) * D + h * dh + c];
                            s += g * qkv[(b * N + j) * C3 + 2 * D + h * dh + c];
                            dqkv[(b * N + j) * C3 + 2 * D + h * dh + c] += p[j] * g;
                        }
                        dp[j] = s;
                    }
                    var ds = SoftmaxReference.Backward(p, dp, 1, N);
                    for (int j = 0; j < N; j++)
                        for (int c = 0; c < dh; c++)
                        {
                            dqkv[(b * N + i) * C3 + h * dh + c] += ds[j] * scale * qkv[(b * N + j) * C3 + D + h * dh + c];
                            dqkv[(b * N + j) * C3 + D + h * dh + c] += ds[j] * scale * qkv[(b * N + i) * C3 + h * dh + c];
                        }
                }
        return dqkv;
    }
}

public static partial class Ops
{
    /// <summary>
    /// Multi-head scaled-dot-product self-attention on packed projections, as inside PyTorch's
    /// <c>nn.MultiheadAttention</c> between its in- and out-projections: qkv (B,N,3D) = [q | k | v] → (B,N,D),
    /// heads concatenated. keyPaddingMask (B,N), optional: 1 = that key is padding and is ignored, 0 = attend
    /// (PyTorch's boolean <c>key_padding_mask</c>). A row that masks every key is rejected (PyTorch returns NaN there).
    /// Products run as per-(image, head) GEMMs on the packed buffer (strided, no copies); the probabilities
    /// (B,H,N,N) are saved for the fused backward (first order only).
    /// </summary>
    public static Tensor MultiHeadAttention(Tensor qkv, int heads, Tensor? keyPaddingMask = null)
        => MultiHeadAttention(qkv, heads, keyPaddingMask, out _);

    /// <summary>
    /// <see cref="MultiHeadAttention(Tensor, int, Tensor?)"/> that also hands out the attention probabilities
    /// (B,H,N,N) (e.g. for attention maps): a detached view of the tensor the backward reads, so writing into it
    /// makes that backward refuse to run.
    /// </summary>
    public static Tensor MultiHeadAttention(Tensor qkv, int heads, Tensor? keyPaddingMask, out Tensor probabilities)
    {
        if (qkv.Rank != 3 || qkv.Shape[2] % 3 != 0)
            throw new ShapeError($"attention: qkv must be (B, N, 3·D), got {Shapes.Format(qkv.Shape)}");
        int B = qkv.Shape[0], N = qkv.Shape[1], D = qkv.Shape[2] / 3;
        if (heads <= 0 || D % heads != 0)
            throw new ShapeError($"attention: model width D = {D} (qkv {Shapes.Format(qkv.Shape)}) is not divisible by heads = {heads}");
        FusedOps.SameDevice("attention", qkv, keyPaddingMask);
        if (keyPaddingMask is not null) CheckKeyPaddingMask(keyPaddingMask, B, N);
        var device = qkv.Device;
        int H = heads, dh = D / H, C3 = 3 * D;
        float scale = 1f / MathF.Sqrt(dh);
        var probs = Tensor.Empty(device, B, H, N, N);
        var output = Tensor.Empty(device, B, N, D);
        var x = qkv.View;
        // s = q·kᵀ/√dh per (image, head), then the (masked) row softmax in place: p = softmax(s)
        AttentionForEachImage(device, B, b =>
        {
            for (int h = 0; h < H; h++)
            {
                long qo = (long)b * N * C3 + h * dh;
                device.Gemm(false, true, N, N, dh, scale, AttentionBlock(x, qo, N, dh, C3), C3, AttentionBlock(x, qo + D, N, dh, C3), C3,
                    0f, probs.View.SubView((long)(b * H + h) * N * N, (long)N * N), N);
            }
        });
        SoftmaxRows(device, B * H * N, N, keyPaddingMask?.View, H * N, probs.View, probs.View);
        // o = p·v, written into this head's columns of the output
        AttentionForEachImage(device, B, b =>
        {
            for (int h = 0; h < H; h++)
            {
                long qo = (long)b * N * C3 + h * dh;
                device.Gemm(false, false, N, dh, N, 1f, probs.View.SubView((long)(b * H + h) * N * N, (long)N * N), N,
                    AttentionBlock(x, qo + 2 * D, N, dh, C3), C3, 0f, AttentionBlock(output.View, (long)b * N * D + h * dh, N, dh, D), D);
            }
        });
        probabilities = probs.Detach();
        return Tape.Record("attention", output, [qkv], (dout, _) =>
        {
            FusedOps.EnsureFirstOrder("attention", dout);
            var dqkv = Tensor.Empty(device, B, N, C3);
            using var dp = Tensor.EmptyUnscoped(device, B, H, N, N);
            var x = qkv.View;
            var g = dqkv.View;
            AttentionForEachImage(device, B, b =>
            {
                for (int h = 0; h < H; h++)
                {
                    long qo = (long)b * N * C3 + h * dh, ho = (long)(b * H + h) * N * N;
                    var dO = AttentionBlock(dout.View, (long)b * N * D + h * dh, N, dh, D);
                    // dp = do·vᵀ;  dv = pᵀ·do
                    device.Gemm(false, true, N, N, dh, 1f, dO, D, AttentionBlock(x, qo + 2 * D, N, dh, C3), C3, 0f, dp.View.SubView(ho, (long)N * N), N);
                    device.Gemm(true, false, N, dh, N, 1f, probs.View.SubView(ho, (long)N * N), N, dO, D, 0f, AttentionBlock(g, qo + 2 * D, N, dh, C3), C3);
                }
            });
            // ds = p ⊙ (dp − Σ dp·p)/√dh (the scale of s folded in), in place
            SoftmaxBackwardRows(device, B * H * N, N, scale, probs.View, dp.View, dp.View);
            AttentionForEachImage(device, B, b =>
            {
                for (int h = 0; h < H; h++)
                {
                    long qo = (long)b * N * C3 + h * dh;
                    var ds = dp.View.SubView((long)(b * H + h) * N * N, (long)N * N);
                    // dq = ds·k;  dk = dsᵀ·q
                    device.Gemm(false, false, N, dh, N, 1f, ds, N, AttentionBlock(x, qo + D, N, dh, C3), C3, 0f, AttentionBlock(g, qo, N, dh, C3), C3);
                    device.Gemm(true, false, N, dh, N, 1f, ds, N, AttentionBlock(x, qo, N, dh, C3), C3, 0f, AttentionBlock(g, qo + D, N, dh, C3), C3);
                }
            });
            return [dqkv];
        }, qkv, probs);
    }

    // The per-image GEMMs are small (N×N×dh): BLAS runs each on one thread, so on the CPU host path images go
    // to the cores in parallel (disjoint outputs); on CUDA they are queued in order on the stream.
    static void AttentionForEachImage(Device device, int images, Action<int> body)
    {
        if (device.UseHostLoops)
        {
            device.SyncBeforeHostAccess(); // once, here, rather than racing inside the parallel GEMM calls
            Parallel.For(0, images, body);
        }
        else
            for (int b = 0; b < images; b++) body(b);
    }

    // the view of a rows×cols block with row stride ld starting at offset (its last element ends the view)
    static ArrayView<float> AttentionBlock(ArrayView<float> view, long offset, int rows, int cols, int ld)
        => view.SubView(offset, (long)(rows - 1) * ld + cols);

    // values must be 0 or 1 and every image must keep at least one key (checked on the host before any launch)
    static void CheckKeyPaddingMask(Tensor mask, int B, int N)
    {
        if (mask.Rank != 2 || mask.Shape[0] != B || mask.Shape[1] != N)
            throw new ShapeError($"attention: key padding mask must be (B, N) = [{B}, {N}], got {Shapes.Format(mask.Shape)}");
        var m = mask.ToArray();
        for (int b = 0; b < B; b++)
        {
            bool anyKey = false;
            for (int n = 0; n < N; n++)
            {
                float v = m[b * N + n];
                if (v != 0f && v != 1f)
                    throw new ArgumentException($"attention: key padding mask[{b}, {n}] = {v}; use 1 for an ignored key, 0 for a kept one");
                anyKey |= v == 0f;
            }
            if (!anyKey)
                throw new ArgumentException($"attention: key padding mask row {b} ignores all {N} keys; its softmax is undefined (PyTorch returns NaN)");
        }
    }
}
