using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// Multi-head scaled-dot-product self-attention on packed projections, as inside PyTorch's
    /// <c>nn.MultiheadAttention</c> between its in- and out-projections: qkv (B,N,3D) = [q | k | v] → (B,N,D),
    /// heads concatenated. keyPaddingMask (B,N), optional: 1 = that key is padding and is ignored, 0 = attend
    /// (PyTorch's boolean <c>key_padding_mask</c>). A row that masks every key is rejected (PyTorch returns NaN there).
    /// As in llm.c, q, k, v are permuted once to head-major (3, B, H, N, dh), so each product is one strided-batched
    /// GEMM over all B·H (image, head) pairs; the probabilities (B,H,N,N) are saved for the fused backward (first order only).
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
        int H = heads, dh = D / H, BH = B * H;
        long head = (long)N * dh, square = (long)N * N, part = (long)BH * head; // one (image, head) block; one of q, k, v
        float scale = 1f / MathF.Sqrt(dh);
        // q, k, v as (3, B, H, N, dh): the block of pair i = b·H + h starts at i·N·dh in its part; kept for the
        // backward (freed with the scope, like the probabilities) only when one will run
        bool recording = Tape.IsRecording(qkv);
        var qkvHeads = recording ? Tensor.Empty(device, 3, B, H, N, dh) : Tensor.EmptyUnscoped(device, 3, B, H, N, dh);
        AttentionHeads.Split(device, B, N, 3, H, dh, qkv.View, qkvHeads.View);
        var (q, k, v) = (qkvHeads.View.SubView(0, part), qkvHeads.View.SubView(part, part), qkvHeads.View.SubView(2 * part, part));
        // s = q·kᵀ/√dh, then the (masked) row softmax in place: p = softmax(s)
        var probs = Tensor.Empty(device, B, H, N, N);
        device.GemmBatched(false, true, N, N, dh, scale, q, dh, head, k, dh, head, 0f, probs.View, N, square, BH);
        SoftmaxRows(device, BH * N, N, keyPaddingMask?.View, H * N, probs.View, probs.View);
        // o = p·v per head, then the heads concatenated back into (B, N, D)
        using (var oHeads = Tensor.EmptyUnscoped(device, B, H, N, dh))
        {
            device.GemmBatched(false, false, N, dh, N, 1f, probs.View, N, square, v, dh, head, 0f, oHeads.View, dh, head, BH);
            var output = Tensor.Empty(device, B, N, D);
            AttentionHeads.Merge(device, B, N, 1, H, dh, oHeads.View, output.View);
            probabilities = probs.Detach();
            if (!recording) qkvHeads.Dispose();
            return Tape.Record("attention", output, [qkv], (dout, _) =>
            {
                FusedOps.EnsureFirstOrder("attention", dout);
                using var doHeads = Tensor.EmptyUnscoped(device, B, H, N, dh);
                using var dp = Tensor.EmptyUnscoped(device, B, H, N, N);
                using var dHeads = Tensor.EmptyUnscoped(device, 3, B, H, N, dh);
                AttentionHeads.Split(device, B, N, 1, H, dh, dout.View, doHeads.View);
                var (dq, dk, dv) = (dHeads.View.SubView(0, part), dHeads.View.SubView(part, part), dHeads.View.SubView(2 * part, part));
                // dp = do·vᵀ;  dv = pᵀ·do
                device.GemmBatched(false, true, N, N, dh, 1f, doHeads.View, dh, head, v, dh, head, 0f, dp.View, N, square, BH);
                device.GemmBatched(true, false, N, dh, N, 1f, probs.View, N, square, doHeads.View, dh, head, 0f, dv, dh, head, BH);
                // ds = p ⊙ (dp − Σ dp·p)/√dh (the scale of s folded in), in place
                SoftmaxBackwardRows(device, BH * N, N, scale, probs.View, dp.View, dp.View);
                // dq = ds·k;  dk = dsᵀ·q
                device.GemmBatched(false, false, N, dh, N, 1f, dp.View, N, square, k, dh, head, 0f, dq, dh, head, BH);
                device.GemmBatched(true, false, N, dh, N, 1f, dp.View, N, square, q, dh, head, 0f, dk, dh, head, BH);
                var dqkv = Tensor.Empty(device, B, N, 3 * D);
                AttentionHeads.Merge(device, B, N, 3, H, dh, dHeads.View, dqkv.View);
                return [dqkv];
            }, qkv, probs, qkvHeads);
        }
    }

    // Values must be 0 or 1 and every image must keep at least one key: one device thread checks the mask where it lies
    // and only its 4-float verdict comes back to the host (never the mask itself).
    static void CheckKeyPaddingMask(Tensor mask, int B, int N)
    {
        if (mask.Rank != 2 || mask.Shape[0] != B || mask.Shape[1] != N)
            throw new ShapeError($"attention: key padding mask must be (B, N) = [{B}, {N}], got {Shapes.Format(mask.Shape)}");
        using var onDevice = Tensor.EmptyUnscoped(mask.Device, 4);
        onDevice.Fill(0f);
        mask.Device.Launch(AttentionMaskKernels.Check, 1, B, N, mask.View, onDevice.View);
        var verdict = onDevice.ToArray();
        if (verdict[0] == 1f)
            throw new ArgumentException($"attention: key padding mask[{verdict[1]}, {verdict[2]}] = {verdict[3]}; use 1 for an ignored key, 0 for a kept one");
        if (verdict[0] == 2f)
            throw new ArgumentException($"attention: key padding mask row {verdict[1]} ignores all {N} keys; its softmax is undefined (PyTorch returns NaN)");
    }
}

/// <summary>The key-padding-mask check of attention on the device.</summary>
public static class AttentionMaskKernels
{
    /// <summary>
    /// One thread scans mask (B, N) row by row and writes the first problem into verdict (4, zeroed):
    /// [1, b, n, value] a value that is not 0 or 1, [2, b] a row that ignores every key; [0, …] when there is none.
    /// </summary>
    [Kernel]
    public static void Check(int B, int N, ArrayView<float> mask, ArrayView<float> verdict)
    {
        if (GridStride.Start != 0) return;
        for (int b = 0; b < B; b++)
        {
            bool anyKey = false;
            for (int n = 0; n < N; n++)
            {
                float v = mask[b * N + n];
                if (v != 0f && v != 1f)
                {
                    verdict[0] = 1f; verdict[1] = b; verdict[2] = n; verdict[3] = v;
                    return;
                }
                anyKey |= v == 0f;
            }
            if (!anyKey)
            {
                verdict[0] = 2f; verdict[1] = b;
                return;
            }
        }
    }
}
