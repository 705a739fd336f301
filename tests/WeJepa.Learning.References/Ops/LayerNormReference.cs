namespace WeJepa.Learning;

/// <summary>Double-precision specification of <c>Ops.LayerNorm</c> over the last axis (biased variance, like PyTorch).</summary>
public static class LayerNormReference
{
    // x is (rows, cols), weight and bias are (cols) → y (rows, cols), mean and rstd (rows)
    public static double[] Forward(double[] x, double[] weight, double[] bias, int rows, int cols, double eps,
        out double[] mean, out double[] rstd)
    {
        var y = new double[rows * cols];
        mean = new double[rows];
        rstd = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            double m = 0;
            for (int c = 0; c < cols; c++) m += x[o + c];
            m /= cols;
            double v = 0;
            for (int c = 0; c < cols; c++) v += (x[o + c] - m) * (x[o + c] - m);
            double s = 1.0 / Math.Sqrt(v / cols + eps);
            for (int c = 0; c < cols; c++) y[o + c] = (x[o + c] - m) * s * weight[c] + bias[c];
            mean[r] = m;
            rstd[r] = s;
        }
        return y;
    }

    // y = x̂·w + b with x̂ = (x − mean)·rstd →
    // dw += Σ_rows dy·x̂, db += Σ_rows dy, dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·w
    public static (double[] dx, double[] dweight, double[] dbias) Backward(double[] dy, double[] x, double[] weight,
        double[] mean, double[] rstd, int rows, int cols)
    {
        var dx = new double[rows * cols];
        var dw = new double[cols];
        var db = new double[cols];
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            double gMean = 0, gxMean = 0;
            for (int c = 0; c < cols; c++)
            {
                double xhat = (x[o + c] - mean[r]) * rstd[r];
                double g = dy[o + c] * weight[c];
                gMean += g;
                gxMean += g * xhat;
                dw[c] += dy[o + c] * xhat;
                db[c] += dy[o + c];
            }
            gMean /= cols;
            gxMean /= cols;
            for (int c = 0; c < cols; c++)
            {
                double xhat = (x[o + c] - mean[r]) * rstd[r];
                dx[o + c] = rstd[r] * (dy[o + c] * weight[c] - gMean - xhat * gxMean);
            }
        }
        return (dx, dw, db);
    }
}
