namespace WeJepa.Viewer.Composition;

/// <summary>
/// The scrolling strip chart's data: the last <see cref="Capacity"/> energies of pair 0 (true and
/// learned), one per displayed frame, in a ring. <see cref="Scaled"/> maps both series onto [0, 1]
/// with a common range (so their gap reads as drift), padded so a constant energy is a flat mid line.
/// </summary>
public sealed class EnergyChart(int capacity)
{
    private readonly (double True, double Learned)[] samples = new (double, double)[Math.Max(1, capacity)];
    private int count;

    public int Capacity => samples.Length;
    /// <summary>Ring index of the oldest sample (compose.comp's chartHead).</summary>
    public int Head { get; private set; }

    public void Clear()
    {
        count = 0;
        Head = 0;
    }

    public void Add(double trueEnergy, double learnedEnergy)
    {
        var slot = (Head + count) % Capacity;
        samples[slot] = (trueEnergy, learnedEnergy);
        if (count < Capacity) count++;
        else Head = (Head + 1) % Capacity;
    }

    /// <summary>(Capacity,) pairs in ring order; slots not yet filled are −1 (not drawn).</summary>
    public float[] Scaled()
    {
        var result = new float[2 * Capacity];
        Array.Fill(result, -1f);
        if (count == 0) return result;
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (var i = 0; i < count; i++)
        {
            var (t, l) = samples[(Head + i) % Capacity];
            lo = Math.Min(lo, Math.Min(t, l));
            hi = Math.Max(hi, Math.Max(t, l));
        }
        var span = Math.Max(hi - lo, 1e-3 * Math.Max(1, Math.Abs(hi)));
        var mid = 0.5 * (hi + lo);
        lo = mid - 0.6 * span;
        span *= 1.2;
        // Ring order, as the shader reads it: slot (Head + i) % Capacity is column i; unfilled slots stay −1.
        for (var i = 0; i < count; i++)
        {
            var slot = (Head + i) % Capacity;
            var (t, l) = samples[slot];
            result[2 * slot] = (float)((t - lo) / span);
            result[2 * slot + 1] = (float)((l - lo) / span);
        }
        return result;
    }
}
