using WeJepa.Training.Jepa;
using WeJepa.Training.Probes;

namespace WeJepa.Training.Study;

/// <summary>The R² of one feature source on the held-out probe episodes: angle (mean over sin θ, cos θ) and ω, ridge and SGD head.</summary>
public sealed record StudyProbe(string Source, int Dim, double RidgeAngle, double RidgeOmega, double SgdAngle, double SgdOmega)
{
    public static StudyProbe Of(string source, ProbeRow row, ProbeTargets targets)
    {
        var last = row.Sgd[^1].ValidationRSquared;
        return new(source, row.Size, ProbeReport.Mean(row.Ridge.RSquared, targets.AngleColumns), ProbeReport.Mean(row.Ridge.RSquared, targets.VelocityColumns),
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

/// <summary>One pretrained encoder of the study: its run, its throughput and its three probe rows (pretrained, random init, raw pixels).</summary>
public sealed record StudyRun(StudyModel Model, JepaConfig Config, string RunDir, long Steps, int ImagesPerStep, double CalibrationStepSeconds,
    double PretrainMinutes, IReadOnlyList<JepaMetrics> Metrics, StudyThroughput Throughput, IReadOnlyList<StudyProbe> Probes, ProbeComparisonResult Probe)
{
    public long ImagesSeen => Steps * ImagesPerStep;
    public StudyProbe Pretrained => Probes[0];
    public StudyProbe RandomInit => Probes[1];
    public StudyProbe RawPixels => Probes[2];
    /// <summary>Whether the pretrained encoder beats its random-init twin on the ridge probe of both angle and ω.</summary>
    public bool BeatsRandomInit => Pretrained.RidgeAngle > RandomInit.RidgeAngle && Pretrained.RidgeOmega > RandomInit.RidgeOmega;
}

/// <summary>Everything the study measured, for study.md and study.json.</summary>
public sealed record StudyResult(StudyPlan Plan, string SceneSource, string DataDir, bool DataReused, IReadOnlyList<StudyRun> Runs,
    double TotalMinutes, string Device, string LoadBefore, string LoadAfter);
