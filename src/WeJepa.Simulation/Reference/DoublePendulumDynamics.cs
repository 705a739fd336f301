namespace WeJepa.Simulation.Reference;

/// <summary>
/// Double pendulum of point masses m1, m2 on massless rods l1, l2; θ1, θ2 are absolute angles from the
/// downward vertical. State (θ1, θ2, ω1, ω2). With Δ = θ1 − θ2 and D = 2·m1 + m2 − m2·cos 2Δ, the
/// standard Lagrangian equations solved for the accelerations are
/// <code>
///   θ̈1 = [−g(2m1+m2)·sin θ1 − m2·g·sin(θ1 − 2θ2) − 2·sin Δ·m2·(ω2²·l2 + ω1²·l1·cos Δ)] / (l1·D) − damping·ω1
///   θ̈2 = [2·sin Δ·(ω1²·l1·(m1+m2) + g(m1+m2)·cos θ1 + ω2²·l2·m2·cos Δ)] / (l2·D)           − damping·ω2
///   T  = ½(m1+m2)·l1²·ω1² + ½·m2·l2²·ω2² + m2·l1·l2·ω1·ω2·cos Δ
///   V  = (m1+m2)·g·l1·(1 − cos θ1) + m2·g·l2·(1 − cos θ2)
/// </code>
/// T couples ω1, ω2 through cos Δ, so the Hamiltonian is not separable: no explicit leapfrog.
/// </summary>
public sealed record DoublePendulumDynamics(double L1, double L2, double M1, double M2, double Gravity, double Damping = 0.0)
    : IDynamics
{
    public int Dof => 2;

    public bool IsSeparable => false;

    public void Accelerations(ReadOnlySpan<double> q, ReadOnlySpan<double> v, double t, Span<double> a)
    {
        double t1 = q[0], t2 = q[1], w1 = v[0], w2 = v[1], g = Gravity;
        var delta = t1 - t2;
        var (sinD, cosD) = Math.SinCos(delta);
        var den = 2.0 * M1 + M2 - M2 * Math.Cos(2.0 * delta);
        a[0] = (-g * (2.0 * M1 + M2) * Math.Sin(t1) - M2 * g * Math.Sin(t1 - 2.0 * t2)
                - 2.0 * sinD * M2 * (w2 * w2 * L2 + w1 * w1 * L1 * cosD)) / (L1 * den) - Damping * w1;
        a[1] = 2.0 * sinD * (w1 * w1 * L1 * (M1 + M2) + g * (M1 + M2) * Math.Cos(t1) + w2 * w2 * L2 * M2 * cosD)
               / (L2 * den) - Damping * w2;
    }

    public Energy Energy(ReadOnlySpan<double> s)
    {
        double t1 = s[0], t2 = s[1], w1 = s[2], w2 = s[3];
        var kinetic = 0.5 * (M1 + M2) * L1 * L1 * w1 * w1 + 0.5 * M2 * L2 * L2 * w2 * w2
                      + M2 * L1 * L2 * w1 * w2 * Math.Cos(t1 - t2);
        var potential = (M1 + M2) * Gravity * L1 * (1.0 - Math.Cos(t1)) + M2 * Gravity * L2 * (1.0 - Math.Cos(t2));
        return new Energy(kinetic, potential);
    }
}
