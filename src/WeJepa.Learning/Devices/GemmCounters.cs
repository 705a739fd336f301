namespace WeJepa.Learning.Devices;

/// <summary>
/// Running totals of a CPU device's BLAS calls, per backend: where a step's time goes (GEMM vs everything else).
/// Thread-safe (ops may issue GEMMs from several threads); a batched call is one call of many products, its wall time
/// counted once, so the totals never exceed the time the callers waited.
/// </summary>
public sealed class GemmCounters
{
    readonly Totals[] totals = [new(), new()];

    sealed class Totals
    {
        public long Calls, Products, Ticks, Flops;
    }

    /// <summary>GEMM calls (a batched call counts once).</summary>
    public long Calls => totals.Sum(t => Interlocked.Read(ref t.Calls));

    /// <summary>Matrix products run (each product of a batched call counts).</summary>
    public long Products => totals.Sum(t => Interlocked.Read(ref t.Products));

    /// <summary>Time spent inside BLAS calls, summed.</summary>
    public TimeSpan Time => TimeSpan.FromTicks(totals.Sum(t => Interlocked.Read(ref t.Ticks)));

    public double Flops => totals.Sum(t => (double)Interlocked.Read(ref t.Flops));

    /// <summary>(calls, products, time, flops) of what one backend ran.</summary>
    public (long Calls, long Products, TimeSpan Time, double Flops) Of(BlasBackend backend)
    {
        var t = For(backend);
        return (Interlocked.Read(ref t.Calls), Interlocked.Read(ref t.Products), TimeSpan.FromTicks(Interlocked.Read(ref t.Ticks)), Interlocked.Read(ref t.Flops));
    }

    /// <summary>Adds one call of <paramref name="products"/> products that took <paramref name="time"/>.</summary>
    internal void Record(BlasBackend backend, TimeSpan time, long products, double flops)
    {
        var t = For(backend);
        Interlocked.Increment(ref t.Calls);
        Interlocked.Add(ref t.Products, products);
        Interlocked.Add(ref t.Ticks, time.Ticks);
        Interlocked.Add(ref t.Flops, (long)flops);
    }

    Totals For(BlasBackend backend) => totals[backend == BlasBackend.OneDnn ? 1 : 0];

    public void Reset()
    {
        foreach (var t in totals)
        {
            Interlocked.Exchange(ref t.Calls, 0);
            Interlocked.Exchange(ref t.Products, 0);
            Interlocked.Exchange(ref t.Ticks, 0);
            Interlocked.Exchange(ref t.Flops, 0);
        }
    }

    public override string ToString()
    {
        var parts = new[] { BlasBackend.OpenBlas, BlasBackend.OneDnn }.Select(b => (b, c: Of(b))).Where(p => p.c.Calls > 0)
            .Select(p => $"{p.b}: {p.c.Calls} calls ({p.c.Products} products), {p.c.Time.TotalMilliseconds:F1} ms, {p.c.Flops / Math.Max(1e-9, p.c.Time.TotalSeconds) / 1e9:F1} GFLOP/s");
        return string.Join("; ", parts) is { Length: > 0 } s ? s : "no GEMMs";
    }
}
