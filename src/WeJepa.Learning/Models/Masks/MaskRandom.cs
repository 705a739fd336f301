using WeJepa.Core.Rng;

namespace WeJepa.Learning.Models.Masks;

/// <summary>The few draws masks need, on the project's <see cref="SplitMix64"/> stream.</summary>
static class MaskRandom
{
    /// <summary>Uniform integer in [0, n) by Lemire's multiply-high (bias below 2⁻³² for our n).</summary>
    public static int Below(ref SplitMix64 rng, int n) => (int)Math.BigMul(rng.NextUInt64(), (ulong)n, out _);

    /// <summary>Uniform in [low, high).</summary>
    public static double Between(ref SplitMix64 rng, double low, double high) => low + (high - low) * rng.NextDouble();

    /// <summary>Sorted ascending: a uniformly random subset of <paramref name="count"/> of <paramref name="items"/> (partial Fisher–Yates).</summary>
    public static int[] Subset(ref SplitMix64 rng, List<int> items, int count)
    {
        var pool = items.ToArray();
        for (int i = 0; i < count; i++)
        {
            int j = i + Below(ref rng, pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var subset = pool[..count];
        Array.Sort(subset);
        return subset;
    }
}
