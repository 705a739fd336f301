namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Softplus"/> and <see cref="Ops.SoftplusGrad"/>.</summary>
public static class SoftplusReference
{
    public static double[] Forward(double[] x) => x.Select(v => Math.Max(v, 0) + Math.Log(1 + Math.Exp(-Math.Abs(v)))).ToArray();
    public static double[] Backward(double[] x, double[] g) => x.Select((v, i) => g[i] * SigmoidReference.Sigma(v)).ToArray();

    public static (double[] dg, double[] dx) GradBackward(double[] g, double[] x, double[] h)
        => (h.Select((v, i) => v * SigmoidReference.Sigma(x[i])).ToArray(),
            h.Select((v, i) => v * g[i] * SigmoidReference.Sigma(x[i]) * (1 - SigmoidReference.Sigma(x[i]))).ToArray());
}
