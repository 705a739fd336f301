namespace WeJepa.Simulation.Reference;

/// <summary>
/// Simple (optionally damped and driven) pendulum: a point mass m on a massless rod of length L.
/// State (θ, ω), θ from the downward vertical, counter-clockwise positive.
/// <code>
///   θ̈ = −(g/L)·sin θ − damping·ω + amplitude·cos(2π·frequency·t)
///   T  = ½·m·L²·ω²
///   V  = m·g·L·(1 − cos θ)
/// </code>
/// </summary>
public sealed record PendulumDynamics(
    double Length, double Mass, double Gravity, double Damping = 0.0, double DriveAmplitude = 0.0, double DriveFrequency = 0.0)
    : IDynamics
{
    public int Dof => 1;

    public bool IsSeparable => Damping == 0.0;

    public void Accelerations(ReadOnlySpan<double> q, ReadOnlySpan<double> v, double t, Span<double> a) =>
        a[0] = -(Gravity / Length) * Math.Sin(q[0]) - Damping * v[0]
             + DriveAmplitude * Math.Cos(2.0 * Math.PI * DriveFrequency * t);

    public Energy Energy(ReadOnlySpan<double> state) => new(
        0.5 * Mass * Length * Length * state[1] * state[1],
        Mass * Gravity * Length * (1.0 - Math.Cos(state[0])));
}
