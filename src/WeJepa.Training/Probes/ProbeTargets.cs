namespace WeJepa.Training.Probes;

/// <summary>
/// What a probe regresses from a state: each angle as (sin θ, cos θ) (continuous across the ±π wrap) and each angular
/// velocity ω. A simple pendulum's state is (θ, ω) (S = 2), a double pendulum's (θ1, θ2, ω1, ω2) (S = 4).
/// </summary>
public sealed class ProbeTargets
{
    public int StateSize { get; }
    /// <summary>Target names in column order, e.g. <c>sin θ1, cos θ1, ω1</c>.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>The columns that describe angles (sin, cos) and those that are velocities.</summary>
    public int[] AngleColumns { get; }
    public int[] VelocityColumns { get; }
    public int Count => Names.Count;

    public ProbeTargets(int stateSize)
    {
        if (stateSize is < 2 || stateSize % 2 != 0) throw new ArgumentException($"probe: a state of size {stateSize} is not (angles, angular velocities)");
        StateSize = stateSize;
        int d = stateSize / 2;
        string Suffix(int i) => d == 1 ? "" : (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var names = new List<string>();
        for (int i = 0; i < d; i++) names.AddRange([$"sin θ{Suffix(i)}", $"cos θ{Suffix(i)}"]);
        for (int i = 0; i < d; i++) names.Add($"ω{Suffix(i)}");
        Names = names;
        AngleColumns = Enumerable.Range(0, 2 * d).ToArray();
        VelocityColumns = Enumerable.Range(2 * d, d).ToArray();
    }

    /// <summary>states (N, S) row-major → targets (N, <see cref="Count"/>) row-major.</summary>
    public double[] Of(ReadOnlySpan<float> states)
    {
        if (states.Length % StateSize != 0) throw new ArgumentException($"probe: {states.Length} state values are not rows of {StateSize}");
        int n = states.Length / StateSize, d = StateSize / 2;
        var y = new double[n * Count];
        for (int r = 0; r < n; r++)
        {
            var s = states.Slice(r * StateSize, StateSize);
            var row = y.AsSpan(r * Count, Count);
            for (int i = 0; i < d; i++)
            {
                (row[2 * i], row[2 * i + 1]) = Math.SinCos(s[i]);
                row[2 * d + i] = s[d + i];
            }
        }
        return y;
    }
}
