using WeJepa.Learning.Optim;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Tests.References;

/// <summary>The per-element decay flags of a layout, from its parameters' flags (the references' view of it).</summary>
public static class DecayFlags
{
    public static bool[] Of(ParameterLayout layout)
    {
        var flags = new bool[layout.Length];
        foreach (var e in layout.Entries) flags.AsSpan((int)e.Offset, (int)e.Length).Fill(e.Decay);
        return flags;
    }
}

/// <summary>The specification of <c>AdamW</c>: PyTorch's update written plainly in double precision.</summary>
public static class AdamWReference
{
    /// <summary>Step number <paramref name="step"/> (1-based) in place on param, m, v; element i is decayed where <paramref name="decayed"/>[i].</summary>
    public static void Step(double[] param, double[] grad, double[] m, double[] v, long step, double lr, double weightDecay,
        bool[] decayed, AdamWOptions o)
    {
        double bc1 = 1 - Math.Pow(o.Beta1, step), bc2 = 1 - Math.Pow(o.Beta2, step);
        for (long i = 0; i < param.Length; i++)
        {
            if (decayed[i]) param[i] *= 1 - lr * weightDecay;
            m[i] = o.Beta1 * m[i] + (1 - o.Beta1) * grad[i];
            v[i] = o.Beta2 * v[i] + (1 - o.Beta2) * grad[i] * grad[i];
            param[i] -= lr / bc1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(bc2) + o.Eps);
        }
    }
}

/// <summary>The specification of <c>Sgd</c> in double precision.</summary>
public static class SgdReference
{
    public static void Step(double[] param, double[] grad, double[] buf, double lr, double weightDecay, double momentum, bool[] decayed)
    {
        for (long i = 0; i < param.Length; i++)
        {
            double g = grad[i] + (decayed[i] ? weightDecay * param[i] : 0.0);
            buf[i] = momentum * buf[i] + g;
            param[i] -= lr * buf[i];
        }
    }
}

/// <summary>The specification of <c>Ema</c> in double precision.</summary>
public static class EmaReference
{
    public static void Update(double[] teacher, double[] student, double m)
    {
        for (int i = 0; i < teacher.Length; i++) teacher[i] = m * teacher[i] + (1 - m) * student[i];
    }
}

/// <summary>The specification of <c>GradClip</c> in double precision.</summary>
public static class GradClipReference
{
    public static double ClipGlobalNorm(double[] grad, double maxNorm)
    {
        double norm = Math.Sqrt(grad.Sum(g => g * g));
        double c = Math.Min(1.0, maxNorm / (norm + 1e-6));
        for (int i = 0; i < grad.Length; i++) grad[i] *= c;
        return norm;
    }
}
