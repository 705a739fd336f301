namespace WeJepa.Simulation.Reference;

/// <summary>Kinetic, potential and total mechanical energy (J) of one state.</summary>
public readonly record struct Energy(double Kinetic, double Potential)
{
    public double Total => Kinetic + Potential;
}

/// <summary>
/// A mechanical system with generalised coordinates q and velocities v = q̇. The state vector is
/// <c>[q; v]</c> (size <see cref="StateSize"/> = 2·<see cref="Dof"/>), e.g. (θ, ω) or (θ1, θ2, ω1, ω2).
/// </summary>
public interface IDynamics
{
    /// <summary>Degrees of freedom (length of q and of v).</summary>
    int Dof { get; }

    int StateSize => 2 * Dof;

    /// <summary>True when the accelerations depend on q and t only (no velocity terms), which leapfrog needs.</summary>
    bool IsSeparable { get; }

    /// <summary>a = q̈(q, v, t).</summary>
    void Accelerations(ReadOnlySpan<double> q, ReadOnlySpan<double> v, double t, Span<double> a);

    /// <summary>Energy of a state [q; v]; the potential is zero with every rod hanging straight down.</summary>
    Energy Energy(ReadOnlySpan<double> state);
}
