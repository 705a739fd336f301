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
