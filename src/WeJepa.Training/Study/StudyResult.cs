using WeJepa.Training.Jepa;
using WeJepa.Training.Probes;

namespace WeJepa.Training.Study;

/// <summary>
/// The R² of one feature source on the held-out probe episodes: angle (mean over sin θ, cos θ) and ω, ridge and SGD head;
/// <see cref="Pooling"/> is how an encoder's tokens became the features (null for the raw pixels).
/// </summary>
public sealed record StudyProbe(string Source, ProbePooling? Pooling, int Dim, double RidgeAngle, double RidgeOmega, double SgdAngle, double SgdOmega)
{
    public string PoolingName => Pooling is { } p ? p.Name() : "—";

    public static StudyProbe Of(string source, ProbePooling? pooling, ProbeRow row, ProbeTargets targets)
    {
        var last = row.Sgd[^1].ValidationRSquared;
        return new(source, pooling, row.Size, ProbeReport.Mean(row.Ridge.RSquared, targets.AngleColumns), ProbeReport.Mean(row.Ridge.RSquared, targets.VelocityColumns),
            ProbeReport.Mean(last, targets.AngleColumns), ProbeReport.Mean(last, targets.VelocityColumns));
    }
}

/// <summary>
/// Pretraining throughput: the run's images/s over its whole wall time (live data feeding, logging, checks, the final
/// checkpoint and validation included) against the bare step of the same config (<see cref="BareStep"/>).
/// </summary>
public sealed record StudyThroughput(double RunImagesPerSecond, double DataFraction, double BareStepSeconds, double BareImagesPerSecond)
{
    /// <summary>Run images/s ÷ bare images/s: 1 when feeding and bookkeeping cost nothing; the target is ≥ 0.9.</summary>
    public double Ratio => RunImagesPerSecond / BareImagesPerSecond;
}

/// <summary>
/// One pretrained encoder of the study: its run, its throughput, its probe rows (pretrained and random init under each
/// pooling of <see cref="StudyPlan.Poolings"/>, then the raw pixels) and the probe comparisons behind them (one per pooling).
/// </summary>
public sealed record StudyRun(StudyModel Model, JepaConfig Config, string RunDir, long Steps, int ImagesPerStep, double CalibrationStepSeconds,
    double PretrainMinutes, IReadOnlyList<JepaMetrics> Metrics, StudyThroughput Throughput, IReadOnlyList<StudyProbe> Probes,
    IReadOnlyList<ProbeComparisonResult> Comparisons)
{
    public const string PretrainedSource = "pretrained";
    public long ImagesSeen => Steps * ImagesPerStep;
    public StudyProbe Pretrained(ProbePooling pooling) => Probes.Single(p => p.Source == PretrainedSource && p.Pooling == pooling);
    public StudyProbe RandomInit(ProbePooling pooling) => Probes.Single(p => p.Source == ProbeComparison.RandomInit && p.Pooling == pooling);
    public StudyProbe RawPixels => Probes.Single(p => p.Source == ProbeComparison.RawPixels);
    /// <summary>
    /// Whether the pretrained encoder beats its random-init twin on the ridge probe of both angle and ω under
    /// <paramref name="pooling"/>: a higher R² that is also above 0 (at or under 0 it reads nothing; higher is only less wrong).
    /// </summary>
    public bool BeatsRandomInit(ProbePooling pooling) =>
        Wins(Pretrained(pooling).RidgeAngle, RandomInit(pooling).RidgeAngle) && Wins(Pretrained(pooling).RidgeOmega, RandomInit(pooling).RidgeOmega);

    /// <summary>R² <paramref name="a"/> beats <paramref name="b"/>: higher, and above 0.</summary>
    public static bool Wins(double a, double b) => a > Math.Max(b, 0);
}

/// <summary>Everything the study measured, for study.md and study.json.</summary>
public sealed record StudyResult(StudyPlan Plan, string SceneSource, string DataDir, bool DataReused, IReadOnlyList<StudyRun> Runs,
    double TotalMinutes, string Device, string LoadBefore, string LoadAfter);
