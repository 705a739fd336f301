namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Relu"/>.</summary>
public static class ReluReference
{
    public static double[] Forward(double[] x) => x.Select(v => Math.Max(v, 0)).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => v > 0 ? g[i] : 0).ToArray();
}
