namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Sigmoid"/>.</summary>
public static class SigmoidReference
{
    public static double Sigma(double v) => 1 / (1 + Math.Exp(-v));
    public static double[] Forward(double[] x) => x.Select(Sigma).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => g[i] * Sigma(v) * (1 - Sigma(v))).ToArray();
}
