namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Linear"/>: x (rows, in), w (out, in), b (out).</summary>
public static class LinearReference
{
    public static double[] Forward(double[] x, double[] w, double[]? b, int rows, int inF, int outF)
    {
        var y = MatMulReference.Forward(x, w, rows, inF, outF, false, true);
        if (b is not null)
            for (int r = 0; r < rows; r++)
                for (int o = 0; o < outF; o++) y[r * outF + o] += b[o];
        return y;
    }

    public static (double[] dx, double[] dw, double[] db) Backward(double[] x, double[] w, double[] g, int rows, int inF, int outF)
    {
        var (dx, dw) = MatMulReference.Backward(x, w, g, rows, inF, outF, false, true);
        var db = new double[outF];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outF; o++) db[o] += g[r * outF + o];
        return (dx, dw, db);
    }
}
