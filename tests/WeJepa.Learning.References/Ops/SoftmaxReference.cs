namespace WeJepa.Learning;

/// <summary>Double-precision specification of <c>Ops.Softmax</c> (last axis), used by tests.</summary>
public static class SoftmaxReference
{
    // x is (rows, cols) → y (rows, cols); entries may be -∞ (masked) as long as one per row is finite.
    public static double[] Forward(double[] x, int rows, int cols)
    {
        var y = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            double max = double.NegativeInfinity;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x[o + c]);
            double sum = 0;
            for (int c = 0; c < cols; c++) { y[o + c] = Math.Exp(x[o + c] - max); sum += y[o + c]; }
            for (int c = 0; c < cols; c++) y[o + c] /= sum;
        }
        return y;
    }

    // y = softmax(x) → dx = y ⊙ (dy − Σ_c dy·y)
    public static double[] Backward(double[] y, double[] dy, int rows, int cols)
    {
        var dx = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            int o = r * cols;
            double dot = 0;
            for (int c = 0; c < cols; c++) dot += dy[o + c] * y[o + c];
            for (int c = 0; c < cols; c++) dx[o + c] = y[o + c] * (dy[o + c] - dot);
        }
        return dx;
    }
}
