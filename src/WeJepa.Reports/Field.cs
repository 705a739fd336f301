namespace WeJepa.Reports;

/// <summary>
/// A scalar function sampled on a regular grid, for contour lines and heatmaps: <c>Z[iy, ix]</c> is the value at
/// <c>(X[ix], Y[iy])</c>; X and Y increase. A Hamiltonian H(q, p) over the phase plane is the typical one.
/// </summary>
public sealed class Field
{
    public double[] X { get; }
    public double[] Y { get; }
    /// <summary>(Y.Length, X.Length): rows are y, columns are x.</summary>
    public double[,] Z { get; }

    public Field(double[] x, double[] y, double[,] z)
    {
        if (x.Length < 2 || y.Length < 2) throw new ArgumentException($"a field needs at least 2×2 samples, got {x.Length}×{y.Length}");
        if (z.GetLength(0) != y.Length || z.GetLength(1) != x.Length)
            throw new ArgumentException($"field values are {z.GetLength(0)}×{z.GetLength(1)} but the grid is {y.Length} (y) × {x.Length} (x)");
        if (!Increasing(x) || !Increasing(y)) throw new ArgumentException("field grid coordinates must be finite and increasing");
        (X, Y, Z) = (x, y, z);
    }

    /// <summary>Samples <paramref name="f"/>(x, y) on <paramref name="nx"/> × <paramref name="ny"/> evenly spaced points, ends included.</summary>
    public static Field Sample((double Lo, double Hi) x, (double Lo, double Hi) y, int nx, int ny, Func<double, double, double> f)
    {
        double[] xs = Linspace(x.Lo, x.Hi, nx), ys = Linspace(y.Lo, y.Hi, ny);
        var z = new double[ny, nx];
        for (var iy = 0; iy < ny; iy++)
        for (var ix = 0; ix < nx; ix++)
            z[iy, ix] = f(xs[ix], ys[iy]);
        return new Field(xs, ys, z);
    }

    /// <summary>The smallest and largest finite value.</summary>
    public (double Min, double Max) Range()
    {
        var finite = Z.Cast<double>().Where(double.IsFinite).ToArray();
        return finite.Length == 0 ? throw new InvalidOperationException("the field has no finite value") : (finite.Min(), finite.Max());
    }

    /// <summary><paramref name="count"/> evenly spaced levels strictly inside the field's range (the usual contour choice).</summary>
    public double[] Levels(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var (lo, hi) = Range();
        return Enumerable.Range(1, count).Select(i => lo + (hi - lo) * i / (count + 1)).ToArray();
    }

    private static double[] Linspace(double lo, double hi, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 2);
        return Enumerable.Range(0, n).Select(i => i == n - 1 ? hi : lo + (hi - lo) * i / (n - 1)).ToArray();
    }

    private static bool Increasing(double[] v) => v.All(double.IsFinite) && v.Zip(v.Skip(1)).All(p => p.Second > p.First);
}
