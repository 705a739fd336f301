namespace WeJepa.Learning.Tests.References;

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

/// <summary>Double-precision specification of <c>Ops.ScatterRows</c>: out = 0; out[b, idx[b,k], :] += src[b,k,:].</summary>
public static class ScatterRowsReference
{
    // src is (B,K,D), idx is (B,K) with values in [0,N) → (B,N,D)
    public static double[] Forward(double[] src, int[] idx, int B, int N, int K, int D)
    {
        var y = new double[B * N * D];
        for (int b = 0; b < B; b++)
            for (int k = 0; k < K; k++)
            {
                int dst = (b * N + idx[b * K + k]) * D, s = (b * K + k) * D;
                for (int d = 0; d < D; d++) y[dst + d] += src[s + d];
            }
        return y;
    }

    // the adjoint is a gather: dsrc[b,k,:] = dy[b, idx[b,k], :]
    public static double[] Backward(double[] dy, int[] idx, int B, int N, int K, int D)
        => GatherRowsReference.Forward(dy, idx, B, N, K, D);
}

/// <summary>Double-precision specification of <c>Ops.NormalizeFrames</c>: y = (x/255 − mean[c])/std[c] over (B,C,H,W).</summary>
public static class NormalizeFramesReference
{
    public static double[] Forward(byte[] x, double[] mean, double[] std, int C, int plane)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int c = i / plane % C;
            y[i] = (x[i] / 255.0 - mean[c]) / std[c];
        }
        return y;
    }
}
