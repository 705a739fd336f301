using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Reference;

/// <summary>
/// The reference (C#, double precision) batched simulator: the specification the GPU physics shader is
/// tested against. Each environment is independent (own initial state and length scale from the seed),
/// so the result is bit-identical for a seed whatever the thread schedule.
/// </summary>
public static class ReferenceSimulator
{
    public const int ReportEvery = 4096;

    /// <summary>
    /// Simulates <paramref name="envs"/> environments for <paramref name="steps"/> steps (defaults: the
    /// scene's). <paramref name="progress"/> is told the number of environment-steps done so far (of N·T).
    /// </summary>
    public static Trajectory Run(Scene scene, int? envs = null, int? steps = null, IProgress<long>? progress = null)
    {
        int n = envs ?? scene.Settings.Envs, t = steps ?? scene.Settings.Steps, s = scene.StateSize;
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(envs));
        ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(steps));
        var frames = (long)t + 1;
        if (n * frames * s > Array.MaxLength) throw new ArgumentException($"{n} envs × {frames} frames × {s} is too large for one array");
        var states = new double[n * frames * s];
        var kinetic = new double[n * frames];
        var potential = new double[n * frames];
        var done = 0L;
        Action<int>? stepsDone = progress is null ? null : k => progress.Report(Interlocked.Add(ref done, k));
        Parallel.For(0, n, env =>
        {
            var system = Environments.Dynamics(scene, env);
            var state = Environments.InitialState(scene, env);
            var trajectory = states.AsSpan((int)(env * frames * s), (int)(frames * s));
            Rollout(system, scene.Settings.Integrator, state, scene.Settings.Dt, t, trajectory,
                kinetic.AsSpan((int)(env * frames), (int)frames), potential.AsSpan((int)(env * frames), (int)frames), stepsDone);
        });
        return new Trajectory(n, t, s, scene.Settings.Dt, states, kinetic, potential);
    }

    /// <summary>
    /// One environment: writes the initial state and <paramref name="steps"/> integrated states into
    /// <paramref name="states"/> ((T+1)·S) and their energies into <paramref name="kinetic"/>/<paramref name="potential"/> (T+1).
    /// <paramref name="stepsDone"/> hears of progress in chunks of <see cref="ReportEvery"/> steps.
    /// </summary>
    public static void Rollout(IDynamics system, Integrator integrator, ReadOnlySpan<double> initial, double dt, int steps,
        Span<double> states, Span<double> kinetic, Span<double> potential, Action<int>? stepsDone = null)
    {
        var s = system.StateSize;
        Span<double> state = stackalloc double[s];
        initial.CopyTo(state);
        var unreported = 0;
        for (var k = 0; ; k++)
        {
            state.CopyTo(states.Slice(k * s, s));
            var e = system.Energy(state);
            kinetic[k] = e.Kinetic;
            potential[k] = e.Potential;
            if (k == steps) break;
            Integrators.Step(integrator, system, state, k * dt, dt);
            if (++unreported == ReportEvery || k + 1 == steps)
            {
                stepsDone?.Invoke(unreported);
                unreported = 0;
            }
        }
    }
}
