namespace WeJepa.Learning.Optim;

/// <summary>A hyper-parameter as a function of the optimizer step (learning rate, weight decay, EMA momentum).</summary>
public interface ISchedule
{
    /// <summary>The value at <paramref name="step"/> (0-based; steps past the end hold the final value).</summary>
    double At(long step);
}

/// <summary>
/// Linear warmup from <see cref="Start"/> to <see cref="Peak"/> over <see cref="WarmupSteps"/>, then a half
/// cosine from <see cref="Peak"/> down to <see cref="Final"/> at <see cref="TotalSteps"/> (I-JEPA's
/// WarmupCosineSchedule; with no warmup it is also their CosineWDSchedule, which may rise: Final > Peak).
/// </summary>
public sealed record CosineWarmupSchedule(double Peak, double Final, long WarmupSteps, long TotalSteps, double Start = 0.0)
    : ISchedule
{
    public double At(long step)
    {
        if (step < WarmupSteps) return Start + (Peak - Start) * step / WarmupSteps;
        long decaySteps = TotalSteps - WarmupSteps;
        if (decaySteps <= 0 || step >= TotalSteps) return Final;
        double progress = (double)(step - WarmupSteps) / decaySteps;
        return Final + (Peak - Final) * 0.5 * (1.0 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Rejects settings that cannot describe a schedule, naming the field.</summary>
    public CosineWarmupSchedule Validated()
    {
        if (WarmupSteps < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "warmup steps must be >= 0");
        if (TotalSteps < 1) throw new ArgumentOutOfRangeException(nameof(TotalSteps), TotalSteps, "total steps must be >= 1");
        if (WarmupSteps > TotalSteps) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, $"warmup steps exceed total steps {TotalSteps}");
        return this;
    }
}

/// <summary>Straight line from <see cref="Start"/> at step 0 to <see cref="End"/> at <see cref="TotalSteps"/>,
/// constant after (the EMA teacher momentum, e.g. 0.996 → 1.0).</summary>
public sealed record LinearSchedule(double Start, double End, long TotalSteps) : ISchedule
{
    public double At(long step) =>
        TotalSteps <= 0 || step >= TotalSteps ? End : Start + (End - Start) * step / TotalSteps;
}

/// <summary>The same value at every step.</summary>
public sealed record ConstantSchedule(double Value) : ISchedule
{
    public double At(long step) => Value;
}
