namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.TanhMlpInputGradient"/> (plain loops over the chain rule).</summary>
public static class TanhMlpInputGradientReference
{
    /// <summary>∇ₓ Σ_b net(x)[b, output]; x (B, I), w0 (H, I), b0 (H), w1 (H, H), b1 (H), w2 (O, H) → (B, I).</summary>
    public static double[] Forward(double[] x, double[] w0, double[] b0, double[] w1, double[] b1, double[] w2, int rows, int inputs, int hidden, int output)
        => Run(x, w0, b0, w1, b1, w2, rows, inputs, hidden, output, null).gx;

    /// <summary>Gradients (dx, dw0, db0, dw1, db1, dw2) of Σ u·∇ₓ for an upstream u (B, I).</summary>
    public static double[][] Backward(double[] x, double[] w0, double[] b0, double[] w1, double[] b1, double[] w2, int rows, int inputs, int hidden, int output, double[] u)
        => Run(x, w0, b0, w1, b1, w2, rows, inputs, hidden, output, u).grads!;

    static (double[] gx, double[][]? grads) Run(double[] x, double[] w0, double[] b0, double[] w1, double[] b1, double[] w2,
        int rows, int inputs, int hidden, int output, double[]? u)
    {
        int outputs = w2.Length / hidden;
        var gx = new double[rows * inputs];
        var (dx, dw0, db0, dw1, db1, dw2) = (new double[rows * inputs], new double[hidden * inputs], new double[hidden],
            new double[hidden * hidden], new double[hidden], new double[outputs * hidden]);
        for (int b = 0; b < rows; b++)
        {
            var h1 = new double[hidden];
            var h2 = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                double z = b0[j];
                for (int i = 0; i < inputs; i++) z += x[b * inputs + i] * w0[j * inputs + i];
                h1[j] = Math.Tanh(z);
            }
            for (int o = 0; o < hidden; o++)
            {
                double z = b1[o];
                for (int j = 0; j < hidden; j++) z += h1[j] * w1[o * hidden + j];
                h2[o] = Math.Tanh(z);
            }
            var dz2 = new double[hidden];
            for (int o = 0; o < hidden; o++) dz2[o] = w2[output * hidden + o] * (1 - h2[o] * h2[o]);
            var dh1 = new double[hidden];
            var dz1 = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                for (int o = 0; o < hidden; o++) dh1[j] += dz2[o] * w1[o * hidden + j];
                dz1[j] = dh1[j] * (1 - h1[j] * h1[j]);
            }
            for (int i = 0; i < inputs; i++)
                for (int j = 0; j < hidden; j++) gx[b * inputs + i] += dz1[j] * w0[j * inputs + i];
            if (u is null) continue;

            // Reverse through the lines above, for this sample.
            var ddz1 = new double[hidden];   // ∂/∂dz1
            for (int j = 0; j < hidden; j++)
                for (int i = 0; i < inputs; i++)
                {
                    ddz1[j] += u[b * inputs + i] * w0[j * inputs + i];
                    dw0[j * inputs + i] += u[b * inputs + i] * dz1[j];
                }
            var ddh1 = new double[hidden];
            var dh1Total = new double[hidden]; // ∂/∂h1
            for (int j = 0; j < hidden; j++)
            {
                ddh1[j] = ddz1[j] * (1 - h1[j] * h1[j]);
                dh1Total[j] = -2 * h1[j] * ddz1[j] * dh1[j];
            }
            var ddz2 = new double[hidden];
            for (int o = 0; o < hidden; o++)
                for (int j = 0; j < hidden; j++)
                {
                    ddz2[o] += ddh1[j] * w1[o * hidden + j];
                    dw1[o * hidden + j] += ddh1[j] * dz2[o];
                }
            for (int o = 0; o < hidden; o++)
            {
                double s2 = 1 - h2[o] * h2[o];
                dw2[output * hidden + o] += ddz2[o] * s2;
                double dz2Pre = -2 * h2[o] * ddz2[o] * w2[output * hidden + o] * s2; // ∂/∂(h1·w1ᵀ + b1)
                db1[o] += dz2Pre;
                for (int j = 0; j < hidden; j++)
                {
                    dw1[o * hidden + j] += dz2Pre * h1[j];
                    dh1Total[j] += dz2Pre * w1[o * hidden + j];
                }
            }
            for (int j = 0; j < hidden; j++)
            {
                double dz1Pre = dh1Total[j] * (1 - h1[j] * h1[j]);
                db0[j] += dz1Pre;
                for (int i = 0; i < inputs; i++)
                {
                    dw0[j * inputs + i] += dz1Pre * x[b * inputs + i];
                    dx[b * inputs + i] += dz1Pre * w0[j * inputs + i];
                }
            }
        }
        return (gx, u is null ? null : [dx, dw0, db0, dw1, db1, dw2]);
    }
}
