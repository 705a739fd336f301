namespace WeJepa.Learning.Tests.Support;

/// <summary>Elementwise closeness |actual − expected| ≤ atol + rtol·|expected|, reporting the worst element.</summary>
public static class Check
{
    public static void Close(float[] actual, double[] expected, double atol, double rtol, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            double excess = err - (atol + rtol * Math.Abs(expected[i]));
            if (double.IsNaN(actual[i]) || double.IsInfinity(actual[i]) || excess > worstExcess)
            {
                worst = i;
                worstExcess = double.IsFinite(actual[i]) ? excess : double.PositiveInfinity;
                if (!double.IsFinite(actual[i])) break;
            }
        }
        if (worst >= 0)
            Assert.Fail($"{what}: element {worst} is {actual[worst]}, expected {expected[worst]} (atol {atol}, rtol {rtol})");
    }

    public static void Close(float[] actual, float[] expected, double atol, double rtol, string what)
        => Close(actual, expected.Select(v => (double)v).ToArray(), atol, rtol, what);

    public static void Close(Tensor actual, double[] expected, double atol, double rtol, string what)
        => Close(actual.ToArray(), expected, atol, rtol, what);

    public static void Close(double[] actual, double[] expected, double atol, double rtol, string what)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), $"{what}: length");
        for (int i = 0; i < actual.Length; i++)
            if (!(Math.Abs(actual[i] - expected[i]) <= atol + rtol * Math.Abs(expected[i])))
                Assert.Fail($"{what}: element {i} is {actual[i]}, expected {expected[i]} (atol {atol}, rtol {rtol})");
    }
}
