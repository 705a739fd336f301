namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Affine"/>.</summary>
public static class AffineReference
{
    public static double[] Forward(double[] x, double alpha, double beta) => x.Select(v => alpha * v + beta).ToArray();
    public static double[] Backward(double[] g, double alpha) => g.Select(v => alpha * v).ToArray();
}
