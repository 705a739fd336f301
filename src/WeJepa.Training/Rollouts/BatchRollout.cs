using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Training.Dynamics;

namespace WeJepa.Training.Rollouts;

/// <summary>How a rollout advances the learned field.</summary>
public enum RolloutIntegrator { Rk4, Leapfrog, Midpoint }

/// <summary>
/// Rolls a learned model out for a whole batch of initial states at once on the model's device: each step is
/// one fixed sequence of launches over all B trajectories (four field evaluations for RK4, three for leapfrog,
/// <see cref="MidpointIterations"/> + 1 for the implicit midpoint rule),
/// never a per-trajectory loop, and every trajectory's arithmetic is independent of the others (row-wise ops),
/// so a batch equals its trajectories rolled out one at a time. An HNN-family model's RK4 takes its fused path
/// (<see cref="HamiltonianRk4"/>: the analytic input gradient in preallocated buffers, no tape); the others go
/// through the engine's ops, one tape step per integration step. A model with a time input sees t₀ + k·dt (and
/// the stage times in between).
/// </summary>
public static class BatchRollout
{
    /// <summary>
    /// <paramref name="initial"/> (B, 2d) row-major → states (B, T+1, 2d) row-major, state k at time t₀ + k·dt.
    /// <paramref name="progress"/> hears the number of steps done.
    /// </summary>
    public static float[] Run(DynamicsModel model, ReadOnlySpan<float> initial, double dt, int steps,
        RolloutIntegrator integrator = RolloutIntegrator.Rk4, IProgress<long>? progress = null, double startTime = 0)
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
        float Time(int k) => (float)(startTime + k * dt);
        if (integrator == RolloutIntegrator.Rk4 && model.Hamiltonian is { } net)
        {
            using var rk4 = new HamiltonianRk4(net, b);
            for (int k = 0; k < steps; k++)
            {
                rk4.Step(trace.View.SubView(k * frame, frame), trace.View.SubView((k + 1) * frame, frame), Time(k), (float)dt);
                progress?.Report(k + 1);
            }
        }
        else
        {
            // One tape step per integration step: its stage tensors go back to the pool at once; the state lives in the trace.
            var tape = new Tape(device);
            for (int k = 0; k < steps; k++)
            {
                tape.Step(() =>
                {
                    var y = trace.SubTensor(k * frame, b, s);
                    var next = integrator switch
                    {
                        RolloutIntegrator.Rk4 => Rk4Step(model, y, (float)dt, Time(k)),
                        RolloutIntegrator.Leapfrog => LeapfrogStep(model, y, (float)dt, Time(k)),
                        _ => MidpointStep(model, y, (float)dt, Time(k)),
                    };
                    trace.SubTensor((k + 1) * frame, b, s).CopyFrom(next);
                });
                progress?.Report(k + 1);
            }
        }
        return ToTrajectoryMajor(trace.ToArray(), b, steps + 1, s);
    }

    /// <summary>The model's field at states y (B, 2d) and time t (appended as a column when the model takes it).</summary>
    public static Tensor Field(DynamicsModel model, Tensor y, float t) =>
        model.Field(model.TimeInput ? Ops.Concat([y, Tensor.Full(y.Device, t, y.Shape[0], 1)], 1) : y);

    /// <summary>
    /// Classic RK4 on dx/dt = f(x, t): k1 = f(y, t), k2 = f(y + dt/2·k1, t + dt/2), k3 = f(y + dt/2·k2, t + dt/2),
    /// k4 = f(y + dt·k3, t + dt), y + dt/6·(k1 + 2k2 + 2k3 + k4). y (B, 2d) → (B, 2d).
    /// </summary>
    public static Tensor Rk4Step(DynamicsModel model, Tensor y, float dt, float t = 0)
    {
        var k1 = Field(model, y, t);
        var k2 = Field(model, Ops.Add(y, Ops.Mul(k1, dt / 2)), t + dt / 2);
        var k3 = Field(model, Ops.Add(y, Ops.Mul(k2, dt / 2)), t + dt / 2);
        var k4 = Field(model, Ops.Add(y, Ops.Mul(k3, dt)), t + dt);
        var sum = Ops.Add(Ops.Add(k1, Ops.Mul(k2, 2f)), Ops.Add(Ops.Mul(k3, 2f), k4));
        return Ops.Add(y, Ops.Mul(sum, dt / 6));
    }

    /// <summary>
    /// Kick-drift-kick leapfrog on the field's halves (q̇, ṗ) = (∂H/∂p, −∂H/∂q): p ← p + dt/2·ṗ(q, p, t);
    /// q ← q + dt·q̇(q, p, t + dt/2); p ← p + dt/2·ṗ(q, p, t + dt). Symplectic (bounded energy error) when H is separable,
    /// T(p) + V(q), as the pendulums' true H is; the learned H is only close to separable.
    /// </summary>
    public static Tensor LeapfrogStep(DynamicsModel model, Tensor y, float dt, float t = 0)
    {
        int d = model.Degrees;
        var (q, p) = (Ops.Slice(y, 1, 0, d), Ops.Slice(y, 1, d, d));
        p = Ops.Add(p, Ops.Mul(Ops.Slice(Field(model, y, t), 1, d, d), dt / 2));
        q = Ops.Add(q, Ops.Mul(Ops.Slice(Field(model, Ops.Concat([q, p], 1), t + dt / 2), 1, 0, d), dt));
        p = Ops.Add(p, Ops.Mul(Ops.Slice(Field(model, Ops.Concat([q, p], 1), t + dt), 1, d, d), dt / 2));
        return Ops.Concat([q, p], 1);
    }

    /// <summary>
    /// Fixed-point iterations of <see cref="MidpointStep"/>. Each one shrinks the error by about dt·L/2 (L: the field's
    /// Lipschitz constant; ~0.03 for the pendulums at dt 0.02), so from Euler's guess six reach float32 rounding there.
    /// A fixed count, not a tolerance: a batch then does the same arithmetic as each of its trajectories alone.
    /// </summary>
    public const int MidpointIterations = 6;

    /// <summary>
    /// The implicit midpoint rule y' = y + dt·f((y + y')/2, t + dt/2), solved by <see cref="MidpointIterations"/>
    /// fixed-point iterations from Euler's y + dt·f(y, t). Symplectic for every Hamiltonian — separable or not, unlike
    /// leapfrog — so a learned H's error stays bounded instead of drifting; it keeps quadratic invariants exactly.
    /// Converges while dt·L &lt; 2.
    /// </summary>
    public static Tensor MidpointStep(DynamicsModel model, Tensor y, float dt, float t = 0)
    {
        var next = Ops.Add(y, Ops.Mul(Field(model, y, t), dt));
        for (int i = 0; i < MidpointIterations; i++)
            next = Ops.Add(y, Ops.Mul(Field(model, Ops.Mul(Ops.Add(y, next), 0.5f), t + dt / 2), dt));
        return next;
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
