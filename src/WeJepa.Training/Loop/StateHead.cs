using WeJepa.Training.Probes;

namespace WeJepa.Training.Loop;

/// <summary>
/// The linear state head: closed-form ridge (<see cref="RidgeProbe"/>) from frame features to (sin θ, cos θ, ω) fitted
/// against the simulator's states of the training episodes, its strength the one whose θ errs least on held-out training
/// episodes. The angle is read
/// as atan2(sin, cos) (no wrap to learn); ω from a single frame is the weak column (its R² says how weak), so the loop
/// takes velocities from the estimated angles over time instead (<see cref="SmoothedTrajectories"/>,
/// <see cref="InitialStateFit"/>).
/// </summary>
public sealed class StateHead
{
    /// <summary>Relative ridge strengths tried: θ wants little (on the default demo the held-out θ RMSE falls from 4.3e-4 rad at 1e-4 to 1.2e-4 at 1e-8).</summary>
    static readonly double[] Strengths = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4];

    readonly ProbeSet train;

    public ProbeTargets Targets { get; }
    /// <summary>The ridge strength (relative to the system's mean diagonal) picked on held-out training episodes.</summary>
    public double Strength { get; }
    /// <summary>R² per target (sin θ, cos θ, ω) on the validation episodes.</summary>
    public double[] RSquared { get; }

    StateHead(ProbeSet train, ProbeTargets targets, double strength, double[] rSquared) =>
        (this.train, Targets, Strength, RSquared) = (train, targets, strength, rSquared);

    public static StateHead Fit(CameraRecording train, CameraRecording validation, ulong seed)
    {
        if (train.StateSize != 2) throw new ArgumentException($"state head: the loop reads simple pendulums (S = 2), not S = {train.StateSize}");
        var targets = new ProbeTargets(train.StateSize);
        var set = Set(train, targets);
        // the strength that reads θ best on held-out training episodes (RidgeProbe.Fit's mean R² would let ω, which one
        // frame cannot give and the loop never uses, weigh in the pick)
        var (fit, held) = set.SplitByEpisode(0.25, seed);
        var inner = RidgeProbe.Predictions(fit, held, Strengths);
        double strength = Strengths[Enumerable.Range(0, inner.Length).MinBy(i => ThetaRmse(inner[i], held.Targets, targets.Count))];
        var validated = Set(validation, targets);
        var prediction = RidgeProbe.Predictions(set, validated, [strength])[0];
        return new StateHead(set, targets, strength, Standardized.RSquared(validated.Targets, prediction, targets.Count));
    }

    /// <summary>RMS of wrap(θ̂ − θ), θ = atan2(sin, cos) of columns 0 and 1 of predictions and targets (N, t).</summary>
    static double ThetaRmse(double[] predicted, double[] targets, int t)
    {
        double sum = 0;
        int n = targets.Length / t;
        for (int i = 0; i < n; i++)
            sum += Math.Pow(SmoothedTrajectories.Wrapped(Math.Atan2(predicted[i * t], predicted[i * t + 1]) - Math.Atan2(targets[i * t], targets[i * t + 1])), 2);
        return Math.Sqrt(sum / n);
    }

    /// <summary>θ̂ of every frame of each recording, (E·T) episode-major, one ridge solve for all of them.</summary>
    public double[][] Angles(params CameraRecording[] recordings)
    {
        var all = recordings.Select(r => Set(r, Targets)).ToArray();
        var joined = new ProbeSet([.. all.SelectMany(s => s.Features)], train.FeatureSize, [.. all.SelectMany(s => s.Targets)], Targets.Count,
            [.. all.SelectMany(s => s.Labels)], [.. all.SelectMany(s => s.Episodes)]);
        var predicted = RidgeProbe.Predictions(train, joined, [Strength])[0];
        int t = Targets.Count, at = 0;
        return all.Select(s =>
        {
            var theta = new double[s.Count];
            for (int i = 0; i < s.Count; i++, at++) theta[i] = Math.Atan2(predicted[at * t], predicted[at * t + 1]);
            return theta;
        }).ToArray();
    }

    static ProbeSet Set(CameraRecording r, ProbeTargets targets)
    {
        int n = r.Episodes * r.Frames;
        var episodes = new int[n];
        for (int i = 0; i < n; i++) episodes[i] = r.FirstEpisode + i / r.Frames;
        return new ProbeSet(r.Features, r.FeatureSize, targets.Of(r.States), targets.Count, new int[n], episodes).Validated();
    }
}
