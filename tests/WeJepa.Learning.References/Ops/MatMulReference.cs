namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.MatMul"/> for 2-D operands (row-major, optional transposes).</summary>
public static class MatMulReference
{
    /// <summary>C (m×n) = op(A)·op(B); a stored (m×k) or (k×m), b stored (k×n) or (n×k).</summary>
    public static double[] Forward(double[] a, double[] b, int m, int k, int n, bool transA, bool transB)
    {
        var c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = s;
            }
        return c;
    }

    /// <summary>Gradients of A and B (in their stored layouts) for dC = g.</summary>
    public static (double[] da, double[] db) Backward(double[] a, double[] b, double[] g, int m, int k, int n, bool transA, bool transB)
    {
        var da = new double[m * k];
        var db = new double[k * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    da[transA ? p * m + i : i * k + p] += g[i * n + j] * bv;
                    db[transB ? j * k + p : p * n + j] += g[i * n + j] * av;
                }
        return (da, db);
    }
}
