using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Reference;

/// <summary>
/// One fixed step of each integrator, in place on a state [q; v] at time t. These are the specification
/// the GPU physics shader is tested against: keep the order of operations when porting.
/// </summary>
public static class Integrators
{
    public static void Step(Integrator kind, IDynamics system, Span<double> state, double t, double dt)
    {
        switch (kind)
        {
            case Integrator.Rk4: Rk4(system, state, t, dt); break;
            case Integrator.Leapfrog: Leapfrog(system, state, t, dt); break;
            case Integrator.SemiImplicitEuler: SemiImplicitEuler(system, state, t, dt); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    /// <summary>
    /// Classic RK4 on y' = f(t, y) = [v; a(q, v, t)]:
    /// k1 = f(t, y), k2 = f(t+dt/2, y+dt/2·k1), k3 = f(t+dt/2, y+dt/2·k2), k4 = f(t+dt, y+dt·k3),
    /// y ← y + dt/6·(k1 + 2k2 + 2k3 + k4).
    /// </summary>
    public static void Rk4(IDynamics system, Span<double> y, double t, double dt)
    {
        var s = y.Length;
        Span<double> k1 = stackalloc double[s], k2 = stackalloc double[s], k3 = stackalloc double[s],
            k4 = stackalloc double[s], tmp = stackalloc double[s];
        Derivative(system, y, t, k1);
        Offset(y, k1, 0.5 * dt, tmp);
        Derivative(system, tmp, t + 0.5 * dt, k2);
        Offset(y, k2, 0.5 * dt, tmp);
        Derivative(system, tmp, t + 0.5 * dt, k3);
        Offset(y, k3, dt, tmp);
        Derivative(system, tmp, t + dt, k4);
        for (var i = 0; i < s; i++) y[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
    }

    /// <summary>
    /// Leapfrog / Störmer–Verlet, kick-drift-kick: v ← v + dt/2·a(q, t); q ← q + dt·v; v ← v + dt/2·a(q, t+dt).
    /// Symplectic (bounded energy error) only when a does not depend on v: damped systems are refused.
    /// </summary>
    public static void Leapfrog(IDynamics system, Span<double> state, double t, double dt)
    {
        if (!system.IsSeparable)
            throw new ArgumentException($"leapfrog needs velocity-independent forces; {system.GetType().Name} is not separable", nameof(system));
        var n = system.Dof;
        Span<double> q = state[..n], v = state[n..], a = stackalloc double[n];
        system.Accelerations(q, v, t, a);
        for (var i = 0; i < n; i++) v[i] += 0.5 * dt * a[i];
        for (var i = 0; i < n; i++) q[i] += dt * v[i];
        system.Accelerations(q, v, t + dt, a);
        for (var i = 0; i < n; i++) v[i] += 0.5 * dt * a[i];
    }

    /// <summary>Semi-implicit (symplectic) Euler: v ← v + dt·a(q, v, t); q ← q + dt·v (the new v).</summary>
    public static void SemiImplicitEuler(IDynamics system, Span<double> state, double t, double dt)
    {
        var n = system.Dof;
        Span<double> q = state[..n], v = state[n..], a = stackalloc double[n];
        system.Accelerations(q, v, t, a);
        for (var i = 0; i < n; i++) v[i] += dt * a[i];
        for (var i = 0; i < n; i++) q[i] += dt * v[i];
    }

    /// <summary>dy/dt = [v; a(q, v, t)].</summary>
    private static void Derivative(IDynamics system, ReadOnlySpan<double> y, double t, Span<double> dy)
    {
        var n = system.Dof;
        y[n..].CopyTo(dy[..n]);
        system.Accelerations(y[..n], y[n..], t, dy[n..]);
    }

    private static void Offset(ReadOnlySpan<double> y, ReadOnlySpan<double> k, double h, Span<double> result)
    {
        for (var i = 0; i < y.Length; i++) result[i] = y[i] + h * k[i];
    }
}
