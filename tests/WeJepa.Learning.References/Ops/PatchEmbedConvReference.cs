namespace WeJepa.Learning;

/// <summary>
/// Double-precision specification of <c>Ops.PatchEmbedConv</c>: PyTorch <c>Conv2d(C, D, kernel_size=p, stride=p)</c>
/// followed by <c>flatten(2).transpose(1, 2)</c>. Tokens run row-major over the (H/p)×(W/p) patch grid; pixels
/// beyond the last whole patch are ignored, as in PyTorch.
/// </summary>
public static class PatchEmbedConvReference
{
    // x is (B,C,H,W), weight is (D,C,p,p), bias is (D) → (B,N,D) with N = (H/p)·(W/p)
    public static double[] Forward(double[] x, double[] weight, double[] bias, int B, int C, int Hi, int Wi, int D, int p)
    {
        int gh = Hi / p, gw = Wi / p, N = gh * gw;
        var y = new double[B * N * D];
        for (int b = 0; b < B; b++)
            for (int n = 0; n < N; n++)
                for (int d = 0; d < D; d++)
                {
                    double acc = bias[d];
                    for (int c = 0; c < C; c++)
                        for (int ky = 0; ky < p; ky++)
                            for (int kx = 0; kx < p; kx++)
                                acc += weight[((d * C + c) * p + ky) * p + kx] *
                                       x[((b * C + c) * Hi + n / gw * p + ky) * Wi + n % gw * p + kx];
                    y[(b * N + n) * D + d] = acc;
                }
        return y;
    }

    // y[b,n,d] = bias[d] + Σ w[d,c,ky,kx]·x[b,c,py+ky,px+kx] → the three adjoints
    public static (double[] dx, double[] dweight, double[] dbias) Backward(double[] dy, double[] x, double[] weight,
        int B, int C, int Hi, int Wi, int D, int p)
    {
        int gh = Hi / p, gw = Wi / p, N = gh * gw;
        var dx = new double[x.Length];
        var dw = new double[weight.Length];
        var db = new double[D];
        for (int b = 0; b < B; b++)
            for (int n = 0; n < N; n++)
                for (int d = 0; d < D; d++)
                {
                    double g = dy[(b * N + n) * D + d];
                    db[d] += g;
                    for (int c = 0; c < C; c++)
                        for (int ky = 0; ky < p; ky++)
                            for (int kx = 0; kx < p; kx++)
                            {
                                int xi = ((b * C + c) * Hi + n / gw * p + ky) * Wi + n % gw * p + kx;
                                int wi = ((d * C + c) * p + ky) * p + kx;
                                dw[wi] += g * x[xi];
                                dx[xi] += g * weight[wi];
                            }
                }
        return (dx, dw, db);
    }
}
