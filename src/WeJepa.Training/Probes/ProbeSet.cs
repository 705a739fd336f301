using WeJepa.Core.Rng;

namespace WeJepa.Training.Probes;

/// <summary>
/// Frozen features of one split with what they should predict: features (N, F) and targets (N, T) row-major, a class
/// label per sample (which scene it came from; all 0 for one scene) and its episode (splits never cut an episode).
/// </summary>
public sealed record ProbeSet(float[] Features, int FeatureSize, double[] Targets, int TargetSize, int[] Labels, int[] Episodes)
{
    public int Count => Labels.Length;

    public ProbeSet Validated()
    {
        if (FeatureSize < 1 || TargetSize < 1) throw new ArgumentException($"probe set: feature size {FeatureSize} and target size {TargetSize} must be positive");
        int n = Labels.Length;
        if (Features.Length != n * FeatureSize || Targets.Length != n * TargetSize || Episodes.Length != n)
            throw new ArgumentException($"probe set: {Features.Length} features, {Targets.Length} targets, {Episodes.Length} episodes for {n} samples");
        if (!Array.TrueForAll(Features, float.IsFinite)) throw new ArgumentException("probe set: the features hold NaN/Inf");
        return this;
    }

    /// <summary>The samples at <paramref name="rows"/>, in that order.</summary>
    public ProbeSet Rows(IReadOnlyList<int> rows)
    {
        var (f, t) = (new float[rows.Count * FeatureSize], new double[rows.Count * TargetSize]);
        var (labels, episodes) = (new int[rows.Count], new int[rows.Count]);
        for (int i = 0; i < rows.Count; i++)
        {
            int r = rows[i];
            Array.Copy(Features, (long)r * FeatureSize, f, (long)i * FeatureSize, FeatureSize);
            Array.Copy(Targets, (long)r * TargetSize, t, (long)i * TargetSize, TargetSize);
            (labels[i], episodes[i]) = (Labels[r], Episodes[r]);
        }
        return new ProbeSet(f, FeatureSize, t, TargetSize, labels, episodes);
    }

    /// <summary>
    /// Splits by episode: the episodes a seeded hash puts in <paramref name="fraction"/> go to the second set, the rest to
    /// the first (the inner split a probe picks its ridge strength on).
    /// </summary>
    public (ProbeSet Fit, ProbeSet Held) SplitByEpisode(double fraction, ulong seed)
    {
        var episodes = Episodes.Distinct().Order().ToArray();
        if (episodes.Length < 2) throw new ArgumentException($"probe set: {episodes.Length} episode(s); splitting by episode needs at least 2");
        var held = episodes.Where(e => Held(e, seed) < fraction).ToHashSet();
        if (held.Count == 0) held.Add(episodes[^1]);
        if (held.Count == episodes.Length) held.Remove(episodes[0]);
        var rows = Enumerable.Range(0, Count).ToArray();
        return (Rows(rows.Where(r => !held.Contains(Episodes[r])).ToArray()), Rows(rows.Where(r => held.Contains(Episodes[r])).ToArray()));
    }

    /// <summary>A copy whose targets are permuted across samples (a control: no feature can predict them).</summary>
    public ProbeSet WithShuffledTargets(ulong seed)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        random.Shuffle(order);
        var t = new double[Targets.Length];
        for (int i = 0; i < Count; i++) Array.Copy(Targets, (long)order[i] * TargetSize, t, (long)i * TargetSize, TargetSize);
        return this with { Targets = t };
    }

    // A seeded hash of the episode: the split is the same however the samples are ordered.
    static double Held(int episode, ulong seed) => new SplitMix64(seed ^ SplitMix64.Mix((ulong)episode + 1)).NextDouble();
}
