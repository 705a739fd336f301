namespace WeJepa.Learning.Devices;

/// <summary>
/// Running totals of a CPU device's BLAS calls, per backend: where a step's time goes (GEMM vs everything else).
/// Thread-safe (ops may issue GEMMs from several threads); a batched call counts its products as calls and its wall
/// time once, so the totals never exceed the time the callers waited.
/// </summary>
public sealed class GemmCounters
{
    readonly Totals[] totals = [new(), new()];

    sealed class Totals
    {
        public long Calls, Ticks, Flops;
    }

    /// <summary>Products run (each product of a batched call counts).</summary>
    public long Calls => totals.Sum(t => Interlocked.Read(ref t.Calls));

    /// <summary>Time spent inside BLAS calls, summed.</summary>
    public TimeSpan Time => TimeSpan.FromTicks(totals.Sum(t => Interlocked.Read(ref t.Ticks)));

    public double Flops => totals.Sum(t => (double)Interlocked.Read(ref t.Flops));

    /// <summary>(calls, time, flops) of the products one backend ran.</summary>
    public (long Calls, TimeSpan Time, double Flops) Of(BlasBackend backend)
    {
        var t = For(backend);
        return (Interlocked.Read(ref t.Calls), TimeSpan.FromTicks(Interlocked.Read(ref t.Ticks)), Interlocked.Read(ref t.Flops));
    }

    internal void Record(BlasBackend backend, TimeSpan time, long calls, double flops)
    {
        var t = For(backend);
        Interlocked.Add(ref t.Calls, calls);
        Interlocked.Add(ref t.Ticks, time.Ticks);
        Interlocked.Add(ref t.Flops, (long)flops);
    }

    Totals For(BlasBackend backend) => totals[backend == BlasBackend.OneDnn ? 1 : 0];

    public void Reset()
    {
        foreach (var t in totals)
        {
            Interlocked.Exchange(ref t.Calls, 0);
            Interlocked.Exchange(ref t.Ticks, 0);
            Interlocked.Exchange(ref t.Flops, 0);
        }
    }

    public override string ToString()
    {
        var parts = new[] { BlasBackend.OpenBlas, BlasBackend.OneDnn }.Select(b => (b, c: Of(b))).Where(p => p.c.Calls > 0)
            .Select(p => $"{p.b}: {p.c.Calls} GEMMs, {p.c.Time.TotalMilliseconds:F1} ms, {p.c.Flops / Math.Max(1e-9, p.c.Time.TotalSeconds) / 1e9:F1} GFLOP/s");
        return string.Join("; ", parts) is { Length: > 0 } s ? s : "no GEMMs";
    }
}
