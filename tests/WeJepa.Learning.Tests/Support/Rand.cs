namespace WeJepa.Learning.Tests.Support;

/// <summary>Deterministic test data.</summary>
public static class Rand
{
    public static double[] Uniform(int n, double low, double high, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => low + (high - low) * random.NextDouble()).ToArray();
    }

    /// <summary>Values rounded to float32 so the float and double paths start from identical inputs.</summary>
    public static double[] Floats(int n, double low, double high, int seed)
        => Uniform(n, low, high, seed).Select(v => (double)(float)v).ToArray();
}
