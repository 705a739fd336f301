namespace WeJepa.Learning;

/// <summary>Double-precision specification of <c>Ops.Gelu</c> in both forms.</summary>
public static class GeluReference
{
    const double SqrtHalf = 0.70710678118654752440, InvSqrt2Pi = 0.39894228040143267794;
    const double TanhK = 0.79788456080286535588, TanhC = 0.044715; // √(2/π), the cubic coefficient

    // exact: y = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)) = ½·erfc(−x/√2);  tanh: y = ½x(1 + tanh(k(x + c·x³)))
    public static double Forward(double x, GeluApproximation form) => form == GeluApproximation.None
        ? x * 0.5 * ErfReference.Erfc(-x * SqrtHalf)
        : 0.5 * x * (1 + Math.Tanh(TanhK * (x + TanhC * x * x * x)));

    // exact: dy/dx = Φ(x) + x·φ(x);  tanh: ½(1 + t) + ½x(1 − t²)·k(1 + 3c·x²)
    public static double Derivative(double x, GeluApproximation form)
    {
        if (form == GeluApproximation.None)
            return 0.5 * ErfReference.Erfc(-x * SqrtHalf) + x * InvSqrt2Pi * Math.Exp(-0.5 * x * x);
        double t = Math.Tanh(TanhK * (x + TanhC * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * TanhK * (1 + 3 * TanhC * x * x);
    }

    public static double[] Forward(double[] x, GeluApproximation form) => x.Select(v => Forward(v, form)).ToArray();

    public static double[] Backward(double[] x, double[] dy, GeluApproximation form)
        => x.Select((v, i) => dy[i] * Derivative(v, form)).ToArray();
}
