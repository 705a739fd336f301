namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// Signs of representation collapse in a batch of features (n rows of width d), for the trainer to log for student and
/// teacher: <see cref="StdPerDim"/> (unbiased, per feature; all near 0 = complete collapse), <see cref="MeanCosine"/>
/// (mean cosine similarity over distinct pairs of rows; near 1 = every sample maps to the same direction) and
/// <see cref="EffectiveRank"/> (Roy &amp; Vetterli 2007: exp of the entropy of the normalised singular values of the
/// mean-centred features; d for isotropic features, 1 when they vary along one direction, 0 when they do not vary).
/// </summary>
public sealed record CollapseDiagnostics(double[] StdPerDim, double MeanStd, double MeanCosine, double EffectiveRank)
{
    /// <summary>Features (n, d) or (B, N, d) (then every token is a row).</summary>
    public static CollapseDiagnostics Of(Tensor features)
    {
        if (features.Rank is not (2 or 3)) throw new ShapeError($"collapse diagnostics: features must be (n, d) or (B, N, d), got {Shapes.Format(features.Shape)}");
        int d = features.Shape[^1];
        return Of(features.ToArray(), features.Length / d, d);
    }

    /// <summary>Features (rows, dim) row-major, at least two rows.</summary>
    public static CollapseDiagnostics Of(float[] features, int rows, int dim)
    {
        if (rows < 2 || dim < 1 || features.Length != rows * dim)
            throw new ArgumentException($"collapse diagnostics: need at least 2 rows of width ≥ 1, got {features.Length} values as {rows} × {dim}");
        var mean = new double[dim];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < dim; j++) mean[j] += features[r * dim + j] / (double)rows;
        var centred = new double[rows * dim];
        var std = new double[dim];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < dim; j++)
            {
                double c = features[r * dim + j] - mean[j];
                centred[r * dim + j] = c;
                std[j] += c * c;
            }
        for (int j = 0; j < dim; j++) std[j] = Math.Sqrt(std[j] / (rows - 1));
        return new CollapseDiagnostics(std, std.Average(), MeanPairCosine(features, rows, dim), EffectiveRankOf(centred, rows, dim));
    }

    static double MeanPairCosine(float[] x, int rows, int dim)
    {
        var unit = new double[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            double norm = 0;
            for (int j = 0; j < dim; j++) norm += (double)x[r * dim + j] * x[r * dim + j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < dim; j++) unit[r * dim + j] = norm > 0 ? x[r * dim + j] / norm : 0;
        }
        // Σ_{i≠j} u_i·u_j = |Σ u_i|² − Σ |u_i|²
        var sum = new double[dim];
        double self = 0;
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < dim; j++)
            {
                sum[j] += unit[r * dim + j];
                self += unit[r * dim + j] * unit[r * dim + j];
            }
        return (sum.Sum(s => s * s) - self) / ((double)rows * (rows - 1));
    }

    static double EffectiveRankOf(double[] x, int rows, int dim)
    {
        // singular values² = eigenvalues of the smaller Gram matrix (XXᵀ or XᵀX)
        bool byRows = rows <= dim;
        int m = byRows ? rows : dim;
        var gram = new double[m * m];
        for (int a = 0; a < m; a++)
            for (int b = a; b < m; b++)
            {
                double s = 0;
                if (byRows) for (int j = 0; j < dim; j++) s += x[a * dim + j] * x[b * dim + j];
                else for (int r = 0; r < rows; r++) s += x[r * dim + a] * x[r * dim + b];
                gram[a * m + b] = gram[b * m + a] = s;
            }
        var singular = SymmetricEigenvalues(gram, m).Select(l => Math.Sqrt(Math.Max(l, 0))).ToArray();
        double total = singular.Sum();
        if (total <= 1e-12 * Math.Max(1, gram.Max(Math.Abs))) return 0;
        double entropy = 0;
        foreach (var s in singular)
            if (s > 0) entropy -= s / total * Math.Log(s / total);
        return Math.Exp(entropy);
    }

    /// <summary>Eigenvalues of a symmetric m×m matrix by cyclic Jacobi rotations (m is a batch size or a width: small).</summary>
    public static double[] SymmetricEigenvalues(double[] matrix, int m)
    {
        var a = (double[])matrix.Clone();
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++)
                    if (i != j) off += a[i * m + j] * a[i * m + j];
                    else diag += a[i * m + i] * a[i * m + i];
            if (off <= 1e-30 * Math.Max(diag, 1e-300)) break;
            for (int p = 0; p < m - 1; p++)
                for (int q = p + 1; q < m; q++)
                {
                    double apq = a[p * m + q];
                    if (apq == 0) continue;
                    double theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < m; k++)   // A ← JᵀAJ on rows/columns p, q
                    {
                        double akp = a[k * m + p], akq = a[k * m + q];
                        a[k * m + p] = c * akp - s * akq;
                        a[k * m + q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < m; k++)
                    {
                        double apk = a[p * m + k], aqk = a[q * m + k];
                        a[p * m + k] = c * apk - s * aqk;
                        a[q * m + k] = s * apk + c * aqk;
                    }
                }
        }
        return Enumerable.Range(0, m).Select(i => a[i * m + i]).ToArray();
    }
}
