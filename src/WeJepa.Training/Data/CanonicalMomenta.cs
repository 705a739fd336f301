using WeJepa.Simulation.Reference;

namespace WeJepa.Training.Data;

/// <summary>
/// The change of coordinates an HNN needs on a system whose mass matrix depends on q (the double pendulum): from
/// (q, v) to canonical (q, p), p = ∂T/∂v = M(q)·v, and back, v = M(q)⁻¹·p. An HNN's J is the canonical symplectic
/// form, so its flow is Hamiltonian in (q, p) only; in (q, v) the double pendulum's flow is not of the form J∇H.
/// M(q) is read off the system's kinetic energy, T = ½vᵀM(q)v, by polarisation (exact for a quadratic T):
/// M_ii = 2·T(e_i), M_ij = T(e_i + e_j) − T(e_i) − T(e_j). The momenta's rate ṗ = M·a + Ṁ·v takes Ṁ = dM/dt along
/// the motion by a central difference in double, (M(q + h·v) − M(q − h·v)) / 2h (error ~1e-10 at h = 1e-5).
/// </summary>
public static class CanonicalMomenta
{
    const double H = 1e-5;

    /// <summary>M(q) (d×d, row-major) of <paramref name="system"/>.</summary>
    public static void MassMatrix(IDynamics system, ReadOnlySpan<double> q, Span<double> m)
    {
        int d = system.Dof;
        Span<double> state = stackalloc double[2 * d];
        q[..d].CopyTo(state);
        for (int i = 0; i < d; i++) m[i * d + i] = Kinetic(system, state, d, i, i) / 2; // v = 2e_i: T = ½·4·M_ii
        for (int i = 0; i < d; i++)
            for (int j = i + 1; j < d; j++)
                m[i * d + j] = m[j * d + i] = Kinetic(system, state, d, i, j) - (m[i * d + i] + m[j * d + j]) / 2;
    }

    /// <summary>T at the state's q with v = e_i + e_j.</summary>
    static double Kinetic(IDynamics system, Span<double> state, int d, int i, int j)
    {
        state[d..].Clear();
        state[d + i] += 1;
        state[d + j] += 1;
        return system.Energy(state).Kinetic;
    }

    /// <summary>States (rows, 2d) = (q, v) of trajectories (each <paramref name="frames"/> rows long, trajectory i governed by <paramref name="systemOf"/>(i)) → (q, p).</summary>
    public static float[] ToCanonical(Func<int, IDynamics> systemOf, float[] states, int frames, int d) => Map(systemOf, states, frames, d, inverse: false);

    /// <summary>(q, p) → (q, v), the inverse of <see cref="ToCanonical"/>.</summary>
    public static float[] FromCanonical(Func<int, IDynamics> systemOf, float[] states, int frames, int d) => Map(systemOf, states, frames, d, inverse: true);

    /// <summary>
    /// A set's states and derivatives in canonical coordinates: (q, p) and (q̇, ṗ). Needs the set's scene (the system
    /// of every trajectory).
    /// </summary>
    public static TrajectorySet Of(TrajectorySet set)
    {
        var scene = set.Scene ?? throw new ArgumentException("canonical momenta: the trajectories carry no scene (no mass matrix to convert with)");
        int d = set.Degrees, s = set.StateSize;
        var states = ToCanonical(i => Environments.Dynamics(scene, i), set.States, set.Steps, d);
        var derivatives = (float[])set.Derivatives.Clone();
        Parallel.For(0, set.Trajectories, i =>
        {
            var system = Environments.Dynamics(scene, i);
            Span<double> q = stackalloc double[d], v = stackalloc double[d], m = stackalloc double[d * d], plus = stackalloc double[d * d],
                minus = stackalloc double[d * d], shifted = stackalloc double[d];
            for (int k = 0; k < set.Steps; k++)
            {
                long at = ((long)i * set.Steps + k) * s;
                for (int j = 0; j < d; j++) (q[j], v[j]) = (set.States[at + j], set.States[at + d + j]);
                MassMatrix(system, q, m);
                for (int j = 0; j < d; j++) shifted[j] = q[j] + H * v[j];
                MassMatrix(system, shifted, plus);
                for (int j = 0; j < d; j++) shifted[j] = q[j] - H * v[j];
                MassMatrix(system, shifted, minus);
                for (int r = 0; r < d; r++)
                {
                    double pDot = 0;
                    for (int c = 0; c < d; c++)
                        pDot += m[r * d + c] * set.Derivatives[at + d + c] + (plus[r * d + c] - minus[r * d + c]) / (2 * H) * v[c];
                    derivatives[at + d + r] = (float)pDot;
                }
            }
        });
        return set with { States = states, Derivatives = derivatives, DerivativeSource = set.DerivativeSource + ", in canonical momenta p = M(q)·v", Canonical = true };
    }

    static float[] Map(Func<int, IDynamics> systemOf, float[] states, int frames, int d, bool inverse)
    {
        int s = 2 * d, rows = states.Length / s;
        var result = (float[])states.Clone();
        Parallel.For(0, rows / frames, i =>
        {
            var system = systemOf(i);
            Span<double> q = stackalloc double[d], m = stackalloc double[d * d], x = stackalloc double[d], p = stackalloc double[d];
            for (int k = 0; k < frames; k++)
            {
                long at = ((long)i * frames + k) * s;
                for (int j = 0; j < d; j++) (q[j], x[j]) = (states[at + j], states[at + d + j]);
                MassMatrix(system, q, m);
                if (inverse) Solve(m, x, d);
                else
                {
                    p.Clear();
                    for (int r = 0; r < d; r++)
                        for (int c = 0; c < d; c++) p[r] += m[r * d + c] * x[c];
                    p.CopyTo(x);
                }
                for (int j = 0; j < d; j++) result[at + d + j] = (float)x[j];
            }
        });
        return result;
    }

    /// <summary>x ← M⁻¹x by Gaussian elimination with partial pivoting (M symmetric positive definite, d small); M is overwritten.</summary>
    static void Solve(Span<double> m, Span<double> x, int d)
    {
        for (int c = 0; c < d; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < d; r++) if (Math.Abs(m[r * d + c]) > Math.Abs(m[pivot * d + c])) pivot = r;
            if (pivot != c)
            {
                for (int k = 0; k < d; k++) (m[c * d + k], m[pivot * d + k]) = (m[pivot * d + k], m[c * d + k]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            for (int r = c + 1; r < d; r++)
            {
                double f = m[r * d + c] / m[c * d + c];
                for (int k = c; k < d; k++) m[r * d + k] -= f * m[c * d + k];
                x[r] -= f * x[c];
            }
        }
        for (int c = d - 1; c >= 0; c--)
        {
            double sum = x[c];
            for (int k = c + 1; k < d; k++) sum -= m[c * d + k] * x[k];
            x[c] = sum / m[c * d + c];
        }
    }
}
