namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Square"/>.</summary>
public static class SquareReference
{
    public static double[] Forward(double[] x) => x.Select(v => v * v).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => 2 * v * g[i]).ToArray();
}
