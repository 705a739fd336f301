using System.Numerics;

namespace WeJepa.Training.Probes;

/// <summary>Closed-form ridge regression of the targets on standardised features: validation R² per target.</summary>
public sealed record RidgeResult(double Strength, double[] RSquared);

/// <summary>
/// Ridge regression solved exactly (Cholesky, double): W = (XᵀX + λI)⁻¹XᵀY with an unpenalised intercept (centred
/// targets), or, when there are more features than samples (raw pixels), the same predictions from the dual
/// α = (XXᵀ + λI)⁻¹Y, Ŷ = X′Xᵀα, so the system is min(N, F) wide. λ is <see cref="Strengths"/> × the mean diagonal of the
/// system, picked by R² on a held-out part (by episode) of the training set, then refitted on all of it.
/// </summary>
public static class RidgeProbe
{
    public static readonly double[] Strengths = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1];

    public static RidgeResult Fit(ProbeSet train, ProbeSet validation, ulong seed)
    {
        var (fit, held) = train.SplitByEpisode(0.25, seed);
        var inner = Predictions(fit, held, Strengths);
        int best = Enumerable.Range(0, Strengths.Length)
            .MaxBy(i => Standardized.RSquared(held.Targets, inner[i], held.TargetSize).Average());
        var prediction = Predictions(train, validation, [Strengths[best]])[0];
        return new RidgeResult(Strengths[best], Standardized.RSquared(validation.Targets, prediction, validation.TargetSize));
    }

    /// <summary>The predictions for <paramref name="eval"/> of ridge fits on <paramref name="fit"/>, one per relative strength.</summary>
    public static double[][] Predictions(ProbeSet fit, ProbeSet eval, double[] strengths)
    {
        var standard = new Standardized(fit);
        var (x, xe) = (standard.Apply(fit), standard.Apply(eval));
        int n = fit.Count, f = fit.FeatureSize, t = fit.TargetSize, m = eval.Count;
        var mean = Standardized.ColumnMeans(fit.Targets, t);
        var y = new double[n * t];
        for (int i = 0; i < y.Length; i++) y[i] = fit.Targets[i] - mean[i % t];
        bool dual = f > n;
        // primal: G = XᵀX (F×F), B = XᵀY, P = X′·W;  dual: G = XXᵀ (N×N), B = Y, P = (X′Xᵀ)·α
        var g = dual ? Gram(x, n, f) : Gram(Transposed(x, n, f), f, n);
        var b = dual ? y : Product(Transposed(x, n, f), f, n, y, t);
        var cross = dual ? Cross(xe, m, x, n, f) : xe;
        int size = dual ? n : f;
        double diagonal = Enumerable.Range(0, size).Average(i => g[(long)i * size + i]);
        return strengths.Select(s =>
        {
            var a = (double[])g.Clone();
            for (int i = 0; i < size; i++) a[(long)i * size + i] += s * Math.Max(diagonal, 1e-12);
            var w = CholeskySolve(a, size, b, t);
            var p = Product(cross, m, size, w, t);
            for (int i = 0; i < p.Length; i++) p[i] += mean[i % t];
            return p;
        }).ToArray();
    }

    /// <summary>A (R×C) row-major → Aᵀ (C×R).</summary>
    static double[] Transposed(double[] a, int rows, int columns)
    {
        var t = new double[a.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) t[(long)c * rows + r] = a[(long)r * columns + c];
        return t;
    }

    /// <summary>A·Aᵀ of A (R×C): (R×R), the rows' dot products.</summary>
    static double[] Gram(double[] a, int rows, int columns)
    {
        var g = new double[(long)rows * rows];
        Parallel.For(0, rows, i =>
        {
            var ri = a.AsSpan((int)((long)i * columns), columns);
            for (int j = 0; j <= i; j++) g[(long)i * rows + j] = g[(long)j * rows + i] = Dot(ri, a.AsSpan((int)((long)j * columns), columns));
        });
        return g;
    }

    /// <summary>A·Bᵀ of A (M×C), B (N×C): (M×N).</summary>
    static double[] Cross(double[] a, int m, double[] b, int n, int columns)
    {
        var c = new double[(long)m * n];
        Parallel.For(0, m, i =>
        {
            var ri = a.AsSpan((int)((long)i * columns), columns);
            for (int j = 0; j < n; j++) c[(long)i * n + j] = Dot(ri, b.AsSpan((int)((long)j * columns), columns));
        });
        return c;
    }

    /// <summary>A (M×K) · B (K×N) → (M×N).</summary>
    static double[] Product(double[] a, int m, int k, double[] b, int n)
    {
        var c = new double[(long)m * n];
        Parallel.For(0, m, i =>
        {
            for (int p = 0; p < k; p++)
            {
                double v = a[(long)i * k + p];
                if (v == 0) continue;
                for (int j = 0; j < n; j++) c[(long)i * n + j] += v * b[(long)p * n + j];
            }
        });
        return c;
    }

    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var sum = Vector<double>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            sum += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
        double s = Vector.Sum(sum);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Solves A·X = B for symmetric positive definite A (n×n, overwritten by its Cholesky factor), B (n×k).</summary>
    static double[] CholeskySolve(double[] a, int n, double[] b, int k)
    {
        for (int j = 0; j < n; j++)
        {
            var rj = a.AsSpan(j * n, j);
            double d = a[(long)j * n + j] - Dot(rj, rj);
            if (d <= 0) throw new ArithmeticException($"ridge: the system is not positive definite at row {j} (pivot {d})");
            double l = Math.Sqrt(d);
            a[(long)j * n + j] = l;
            int column = j;
            Parallel.For(j + 1, n, i => a[(long)i * n + column] = (a[(long)i * n + column] - Dot(a.AsSpan(i * n, column), a.AsSpan(column * n, column))) / l);
        }
        var x = (double[])b.Clone();
        for (int c = 0; c < k; c++)
        {
            for (int i = 0; i < n; i++)   // L z = b
            {
                double s = x[(long)i * k + c];
                for (int p = 0; p < i; p++) s -= a[(long)i * n + p] * x[(long)p * k + c];
                x[(long)i * k + c] = s / a[(long)i * n + i];
            }
            for (int i = n - 1; i >= 0; i--)   // Lᵀ x = z
            {
                double s = x[(long)i * k + c];
                for (int p = i + 1; p < n; p++) s -= a[(long)p * n + i] * x[(long)p * k + c];
                x[(long)i * k + c] = s / a[(long)i * n + i];
            }
        }
        return x;
    }
}
