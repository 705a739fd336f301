namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Tanh"/> and <see cref="Ops.TanhGrad"/>.</summary>
public static class TanhReference
{
    public static double[] Forward(double[] x) => x.Select(Math.Tanh).ToArray();

    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => g[i] * (1 - Math.Tanh(v) * Math.Tanh(v))).ToArray();

    /// <summary>tanh_grad(g, y) = g(1 − y²) and its two input gradients for an upstream h.</summary>
    public static double[] Grad(double[] g, double[] y) => g.Select((v, i) => v * (1 - y[i] * y[i])).ToArray();

    public static (double[] dg, double[] dy) GradBackward(double[] g, double[] y, double[] h)
        => (h.Select((v, i) => v * (1 - y[i] * y[i])).ToArray(), h.Select((v, i) => -2 * v * g[i] * y[i]).ToArray());
}
