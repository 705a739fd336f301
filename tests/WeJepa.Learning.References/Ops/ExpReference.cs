namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Exp"/>.</summary>
public static class ExpReference
{
    public static double[] Forward(double[] x) => x.Select(Math.Exp).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => g[i] * Math.Exp(v)).ToArray();
}
