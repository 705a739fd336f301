namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.MseLoss"/>.</summary>
public static class MseLossReference
{
    public static double Forward(double[] p, double[] t) => p.Select((v, i) => (v - t[i]) * (v - t[i])).Average();
    public static (double[] dp, double[] dt) Backward(double[] p, double[] t, double g)
    {
        var dp = p.Select((v, i) => g * 2 * (v - t[i]) / p.Length).ToArray();
        return (dp, dp.Select(v => -v).ToArray());
    }
}
