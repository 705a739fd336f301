namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.SmoothL1Loss"/>.</summary>
public static class SmoothL1LossReference
{
    public static double Forward(double[] p, double[] t, double beta)
        => p.Select((v, i) => Math.Abs(v - t[i]) < beta ? 0.5 * (v - t[i]) * (v - t[i]) / beta : Math.Abs(v - t[i]) - 0.5 * beta).Average();

    public static double[] Backward(double[] p, double[] t, double beta, double g)
        => p.Select((v, i) => g * Math.Clamp((v - t[i]) / beta, -1, 1) / p.Length).ToArray();
}
