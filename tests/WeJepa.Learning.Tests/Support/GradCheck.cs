namespace WeJepa.Learning.Tests.Support;

/// <summary>
/// Double-precision central-difference gradient check of a reference backward (Warp's test_grad rule
/// |AD − FD| ≤ atol + rtol·|FD|). The scalar probed is L = Σ w·f(x) with fixed random weights w, so the
/// analytic gradient is the reference backward applied to w.
/// </summary>
public static class GradCheck
{
    /// <param name="forward">f(inputs) → outputs (flattened).</param>
    /// <param name="backward">(inputs, dL/doutput) → dL/dinput for each input.</param>
    public static void Check(Func<double[][], double[]> forward, Func<double[][], double[], double[][]> backward,
        double[][] inputs, string what, double h = 1e-6, double atol = 1e-6, double rtol = 1e-5)
    {
        var outputLength = forward(inputs).Length;
        var w = Rand.Uniform(outputLength, -1, 1, seed: 1234);
        var analytic = backward(inputs, w);
        Assert.That(analytic.Length, Is.EqualTo(inputs.Length), $"{what}: backward returned {analytic.Length} gradients for {inputs.Length} inputs");
        for (int k = 0; k < inputs.Length; k++)
        {
            var fd = new double[inputs[k].Length];
            for (int i = 0; i < inputs[k].Length; i++)
            {
                double saved = inputs[k][i];
                inputs[k][i] = saved + h;
                double plus = Dot(w, forward(inputs));
                inputs[k][i] = saved - h;
                double minus = Dot(w, forward(inputs));
                inputs[k][i] = saved;
                fd[i] = (plus - minus) / (2 * h);
            }
            Support.Check.Close(analytic[k], fd, atol, rtol, $"{what}: d/dinput{k} (AD vs central difference)");
        }
    }

    static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
