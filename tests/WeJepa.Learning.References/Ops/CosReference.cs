namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Cos"/>.</summary>
public static class CosReference
{
    public static double[] Forward(double[] x) => x.Select(Math.Cos).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => -g[i] * Math.Sin(v)).ToArray();
}
