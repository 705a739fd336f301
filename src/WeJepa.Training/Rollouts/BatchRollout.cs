using WeJepa.Learning;
using WeJepa.Training.Dynamics;

namespace WeJepa.Training.Rollouts;

/// <summary>How a rollout advances the learned field.</summary>
public enum RolloutIntegrator { Rk4, Leapfrog }

/// <summary>
/// Rolls a learned model out for a whole batch of initial states at once on the model's device: each step is
/// one fixed sequence of launches over all B trajectories (four field evaluations for RK4, three for leapfrog),
/// never a per-trajectory loop, and every trajectory's arithmetic is independent of the others (row-wise ops),
/// so a batch equals its trajectories rolled out one at a time.
/// </summary>
public static class BatchRollout
{
    /// <summary>
    /// <paramref name="initial"/> (B, 2d) row-major → states (B, T+1, 2d) row-major, state k at time k·dt.
    /// <paramref name="progress"/> hears the number of steps done.
    /// </summary>
    public static float[] Run(DynamicsModel model, ReadOnlySpan<float> initial, double dt, int steps,
        RolloutIntegrator integrator = RolloutIntegrator.Rk4, IProgress<long>? progress = null)
    {
        int s = 2 * model.Degrees;
        if (initial.Length == 0 || initial.Length % s != 0)
            throw new ArgumentException($"rollout: {initial.Length} initial values are not a whole number of states of size {s}");
        if (!(dt > 0) || !double.IsFinite(dt)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "rollout: dt must be a positive finite number");
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1, nameof(steps));
        if (integrator == RolloutIntegrator.Leapfrog && !model.SupportsLeapfrog)
            throw new ArgumentException($"rollout: leapfrog needs a Hamiltonian model; {DynamicsModel.Name(model.Kind)} has none (use rk4)");
        int b = initial.Length / s;
        long frame = (long)b * s;
        var device = model.Parameters.Device;
        // (T+1, B, 2d): each step's states are one contiguous block, the next step's input.
        using var trace = Tensor.EmptyUnscoped(device, checked((int)(frame * (steps + 1))));
        trace.SubTensor(0, b, s).CopyFrom(initial);
        // One step per integration step: its stage tensors go back to the pool at once; the state lives in the trace.
        var tape = new Tape(device);
        for (int k = 0; k < steps; k++)
        {
            tape.Step(() =>
            {
                var y = trace.SubTensor(k * frame, b, s);
                var next = integrator == RolloutIntegrator.Rk4 ? Rk4Step(model, y, (float)dt) : LeapfrogStep(model, y, (float)dt);
                trace.SubTensor((k + 1) * frame, b, s).CopyFrom(next);
            });
            progress?.Report(k + 1);
        }
        return ToTrajectoryMajor(trace.ToArray(), b, steps + 1, s);
    }

    /// <summary>
    /// Classic RK4 on dx/dt = f(x): k1 = f(y), k2 = f(y + dt/2·k1), k3 = f(y + dt/2·k2), k4 = f(y + dt·k3),
    /// y + dt/6·(k1 + 2k2 + 2k3 + k4). y (B, 2d) → (B, 2d).
    /// </summary>
    public static Tensor Rk4Step(DynamicsModel model, Tensor y, float dt)
    {
        var k1 = model.Field(y);
        var k2 = model.Field(Ops.Add(y, Ops.Mul(k1, dt / 2)));
        var k3 = model.Field(Ops.Add(y, Ops.Mul(k2, dt / 2)));
        var k4 = model.Field(Ops.Add(y, Ops.Mul(k3, dt)));
        var sum = Ops.Add(Ops.Add(k1, Ops.Mul(k2, 2f)), Ops.Add(Ops.Mul(k3, 2f), k4));
        return Ops.Add(y, Ops.Mul(sum, dt / 6));
    }

    /// <summary>
    /// Kick-drift-kick leapfrog on the field's halves (q̇, ṗ) = (∂H/∂p, −∂H/∂q): p ← p + dt/2·ṗ(q, p);
    /// q ← q + dt·q̇(q, p); p ← p + dt/2·ṗ(q, p). Symplectic (bounded energy error) when H is separable,
    /// T(p) + V(q), as the pendulums' true H is; the learned H is only close to separable.
    /// </summary>
    public static Tensor LeapfrogStep(DynamicsModel model, Tensor y, float dt)
    {
        int d = model.Degrees;
        var (q, p) = (Ops.Slice(y, 1, 0, d), Ops.Slice(y, 1, d, d));
        p = Ops.Add(p, Ops.Mul(Ops.Slice(model.Field(y), 1, d, d), dt / 2));
        q = Ops.Add(q, Ops.Mul(Ops.Slice(model.Field(Ops.Concat([q, p], 1)), 1, 0, d), dt));
        p = Ops.Add(p, Ops.Mul(Ops.Slice(model.Field(Ops.Concat([q, p], 1)), 1, d, d), dt / 2));
        return Ops.Concat([q, p], 1);
    }

    /// <summary>(T, B, S) → (B, T, S).</summary>
    static float[] ToTrajectoryMajor(float[] timeMajor, int b, int frames, int s)
    {
        var result = new float[timeMajor.Length];
        for (int t = 0; t < frames; t++)
            for (int i = 0; i < b; i++)
                Array.Copy(timeMajor, ((long)t * b + i) * s, result, ((long)i * frames + t) * s, s);
        return result;
    }
}
