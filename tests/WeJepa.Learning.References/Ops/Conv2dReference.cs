namespace WeJepa.Learning;

/// <summary>Double-precision specification of <c>Ops.Conv2d</c> (PyTorch's cross-correlation, zero padding).</summary>
public static class Conv2dReference
{
    // x is (B,C,H,W), weight is (O,C,KH,KW), bias is (O) → (B,O,Ho,Wo)
    public static double[] Forward(double[] x, double[] weight, double[] bias, int B, int O, ConvGeometry g)
    {
        var y = new double[B * O * g.L];
        for (int b = 0; b < B; b++)
            for (int o = 0; o < O; o++)
                for (int l = 0; l < g.L; l++)
                {
                    double acc = bias[o];
                    for (int k = 0; k < g.K; k++)
                    {
                        int p = g.Pixel(k, l);
                        if (p >= 0) acc += weight[o * g.K + k] * x[b * g.Image + p];
                    }
                    y[(b * O + o) * g.L + l] = acc;
                }
        return y;
    }

    // y[b,o,l] = bias[o] + Σ_k w[o,k]·x[b, pixel(k,l)] → the three adjoints
    public static (double[] dx, double[] dweight, double[] dbias) Backward(double[] dy, double[] x, double[] weight, int B, int O, ConvGeometry g)
    {
        var (dx, dw, db) = (new double[x.Length], new double[weight.Length], new double[O]);
        for (int b = 0; b < B; b++)
            for (int o = 0; o < O; o++)
                for (int l = 0; l < g.L; l++)
                {
                    double d = dy[(b * O + o) * g.L + l];
                    db[o] += d;
                    for (int k = 0; k < g.K; k++)
                    {
                        int p = g.Pixel(k, l);
                        if (p < 0) continue;
                        dw[o * g.K + k] += d * x[b * g.Image + p];
                        dx[b * g.Image + p] += d * weight[o * g.K + k];
                    }
                }
        return (dx, dw, db);
    }
}
