namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Mul3"/>.</summary>
public static class Mul3Reference
{
    public static double[] Forward(double[] a, double[] b, double[] c, double scale) => a.Select((v, i) => scale * v * b[i] * c[i]).ToArray();

    public static double[][] Backward(double[] a, double[] b, double[] c, double scale, double[] g)
        => [Forward(g, b, c, scale), Forward(g, a, c, scale), Forward(g, a, b, scale)];
}
