namespace WeJepa.Learning;

/// <summary>
/// Double-precision erf (the .NET BCL has none): x·e^{−x²}·Σ (2x²)ⁿ/(2n+1)!! · 2/√π, a series with only
/// positive terms (no cancellation), so it is accurate to a few ulps of double for |x| ≤ 6; beyond 6,
/// erf = ±1 to double precision (erfc(6) ≈ 2e-17).
/// </summary>
public static class ErfReference
{
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        double a = Math.Abs(x);
        if (a > 6) return Math.Sign(x);
        double y = 2 * a * a, term = 1, sum = 1;
        for (int n = 1; term > 1e-17 * sum; n++)
        {
            term *= y / (2 * n + 1);
            sum += term;
        }
        return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * a * Math.Exp(-a * a) * sum;
    }

    /// <summary>
    /// erfc(x) = 1 − erf(x) to double precision also where it is tiny: 1 − erf(x) for x &lt; ½ (no cancellation there),
    /// else Laplace's continued fraction e^{−x²}/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …)))) taken 1000 deep.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (x < 0.5) return 1 - Erf(x);
        double f = x;
        for (int n = 1000; n >= 1; n--) f = x + n / 2.0 / f;
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
