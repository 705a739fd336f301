namespace WeJepa.Simulation.Reference;

/// <summary>Energy bookkeeping of one environment: relative change at the end and the worst excursion.</summary>
public sealed record EnvEnergyMetrics(int Env, double[] InitialState, double InitialEnergy, double FinalRelativeChange, double MaxRelativeError);

/// <summary>
/// How well a run conserves (or, when damped/driven, changes) energy. Relative quantities divide by the
/// initial energy; environments starting at rest at the bottom (E0 = 0) report absolute values instead.
/// </summary>
public sealed record TrajectoryMetrics(IReadOnlyList<EnvEnergyMetrics> Envs)
{
    /// <summary>max over environments and steps of |E_k − E_0| / E_0.</summary>
    public double MaxRelativeEnergyError => Envs.Max(e => e.MaxRelativeError);
    /// <summary>Mean over environments of (E_T − E_0) / E_0: the drift, or for damped systems the loss.</summary>
    public double MeanFinalRelativeEnergyChange => Envs.Average(e => e.FinalRelativeChange);

    public static TrajectoryMetrics Of(Trajectory t)
    {
        var total = t.Total;
        var envs = Enumerable.Range(0, t.Envs).Select(env =>
        {
            var e = total.AsSpan(env * t.Frames, t.Frames);
            var scale = Math.Abs(e[0]) > 1e-12 ? Math.Abs(e[0]) : 1.0;
            var worst = 0.0;
            foreach (var v in e) worst = Math.Max(worst, Math.Abs(v - e[0]) / scale);
            return new EnvEnergyMetrics(env, t.State(env, 0).ToArray(), e[0], (e[^1] - e[0]) / scale, worst);
        }).ToList();
        return new TrajectoryMetrics(envs);
    }
}
