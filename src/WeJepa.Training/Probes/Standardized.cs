namespace WeJepa.Training.Probes;

/// <summary>
/// Features as a linear probe sees them: each column centred and scaled by the statistics of the set the probe is fitted
/// on (a column constant there is centred only), in double, row-major (N, F).
/// </summary>
public sealed class Standardized
{
    public readonly double[] Mean, Scale;
    public int Size => Mean.Length;

    public Standardized(ProbeSet fit)
    {
        int f = fit.FeatureSize, n = fit.Count;
        (Mean, Scale) = (new double[f], new double[f]);
        for (int r = 0; r < n; r++)
            for (int j = 0; j < f; j++) Mean[j] += fit.Features[(long)r * f + j];
        for (int j = 0; j < f; j++) Mean[j] /= n;
        var square = new double[f];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < f; j++)
            {
                double d = fit.Features[(long)r * f + j] - Mean[j];
                square[j] += d * d;
            }
        for (int j = 0; j < f; j++)
        {
            double std = Math.Sqrt(square[j] / n);
            Scale[j] = std > 1e-8 ? 1 / std : 1;
        }
    }

    /// <summary>The features of <paramref name="set"/> standardised with the fit set's statistics.</summary>
    public double[] Apply(ProbeSet set)
    {
        int f = set.FeatureSize;
        if (f != Size) throw new ArgumentException($"probe: {f} features, the probe was fitted on {Size}");
        var x = new double[(long)set.Count * f];
        Parallel.For(0, set.Count, r =>
        {
            for (int j = 0; j < f; j++) x[(long)r * f + j] = (set.Features[(long)r * f + j] - Mean[j]) * Scale[j];
        });
        return x;
    }

    /// <summary>Per-column mean of row-major targets (N, T).</summary>
    public static double[] ColumnMeans(double[] y, int columns)
    {
        var mean = new double[columns];
        int n = y.Length / columns;
        for (int r = 0; r < n; r++)
            for (int c = 0; c < columns; c++) mean[c] += y[r * columns + c];
        for (int c = 0; c < columns; c++) mean[c] /= Math.Max(1, n);
        return mean;
    }

    /// <summary>Coefficient of determination per column: 1 − Σ(y − ŷ)² / Σ(y − ȳ)², ȳ the mean of <paramref name="y"/> itself.</summary>
    public static double[] RSquared(double[] y, double[] prediction, int columns)
    {
        var mean = ColumnMeans(y, columns);
        var (residual, total) = (new double[columns], new double[columns]);
        for (int i = 0; i < y.Length; i++)
        {
            int c = i % columns;
            residual[c] += (y[i] - prediction[i]) * (y[i] - prediction[i]);
            total[c] += (y[i] - mean[c]) * (y[i] - mean[c]);
        }
        return Enumerable.Range(0, columns).Select(c => total[c] > 0 ? 1 - residual[c] / total[c] : 0).ToArray();
    }
}
