namespace WeJepa.Viewer;

/// <summary>
/// Unity's FixedUpdate/Update split: the simulation advances in whole steps of the scene's dt, the
/// display at its own rate. Each displayed frame hands in the real time elapsed; the clock returns how
/// many steps are due at the current <see cref="Speed"/>. With a frame-time budget, when stepping took
/// longer than the budget the steps per frame are capped to what fits and the excess time is dropped
/// rather than accumulated, so a slow machine slows the simulation down (<see cref="Behind"/>) instead
/// of freezing the display while it catches up.
/// </summary>
public sealed class FixedStepClock(double dt, double? budgetSeconds = null)
{
    public const double MinSpeed = 1.0 / 16, MaxSpeed = 16;
    private double accumulator;
    private int affordable = int.MaxValue;   // steps per frame that fit the budget, learned from Measured

    public double Dt { get; } = dt;
    public double Speed { get; private set; } = 1;
    /// <summary>Host time one frame may spend stepping; null: no limit (offscreen files are deterministic).</summary>
    public double? BudgetSeconds { get; } = budgetSeconds;
    /// <summary>True when the last frame dropped due steps (the simulation runs slower than asked).</summary>
    public bool Behind { get; private set; }

    public void Faster() => Speed = Math.Min(MaxSpeed, Speed * 2);
    public void Slower() => Speed = Math.Max(MinSpeed, Speed / 2);

    /// <summary>Steps due after <paramref name="elapsedSeconds"/> of real time.</summary>
    public int Due(double elapsedSeconds)
    {
        accumulator += Math.Max(0, elapsedSeconds) * Speed;
        var due = (int)Math.Floor(accumulator / Dt + 1e-9);
        Behind = due > affordable;
        var steps = Math.Min(due, affordable);
        accumulator = Behind ? 0 : accumulator - steps * Dt;
        return steps;
    }

    /// <summary>While paused: nothing accumulates.</summary>
    public void Hold() => accumulator = 0;

    /// <summary>Reports how long the last frame's <paramref name="steps"/> steps took, which sets the cap for the next frames.</summary>
    public void Measured(int steps, double seconds)
    {
        if (BudgetSeconds is not { } budget || steps <= 0) return;
        if (seconds > budget) affordable = Math.Max(1, (int)(steps * budget / seconds));
        else if (steps >= affordable) affordable = affordable > int.MaxValue / 2 ? int.MaxValue : 2 * affordable;
    }
}
