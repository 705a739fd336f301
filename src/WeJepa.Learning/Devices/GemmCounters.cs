namespace WeJepa.Learning.Devices;

/// <summary>Running totals of the BLAS calls of a CPU device: where a step's time goes (GEMM vs everything else).</summary>
public sealed class GemmCounters
{
    public int Calls { get; private set; }
    public TimeSpan Time { get; private set; }
    public double Flops { get; private set; }

    internal void Record(TimeSpan time, double flops)
    {
        Calls++;
        Time += time;
        Flops += flops;
    }

    public void Reset() => (Calls, Time, Flops) = (0, TimeSpan.Zero, 0);

    public override string ToString() => $"{Calls} GEMMs, {Time.TotalMilliseconds:F1} ms, {Flops / Math.Max(1e-9, Time.TotalSeconds) / 1e9:F1} GFLOP/s";
}
