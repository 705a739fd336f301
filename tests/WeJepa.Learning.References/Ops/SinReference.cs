namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Sin"/>.</summary>
public static class SinReference
{
    public static double[] Forward(double[] x) => x.Select(Math.Sin).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => g[i] * Math.Cos(v)).ToArray();
}
