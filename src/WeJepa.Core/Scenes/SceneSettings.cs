namespace WeJepa.Core.Scenes;

/// <summary>How the state advances by one fixed timestep.</summary>
public enum Integrator
{
    /// <summary>Classic 4th-order Runge–Kutta (any system).</summary>
    Rk4,
    /// <summary>Leapfrog / Störmer–Verlet, kick-drift-kick: symplectic, only for undamped separable systems.</summary>
    Leapfrog,
    /// <summary>Semi-implicit (symplectic) Euler: velocity first, then position with the new velocity.</summary>
    SemiImplicitEuler,
}

/// <summary>The <c>scene:</c> block: global settings of a scene.</summary>
public sealed record SceneSettings
{
    public string Name { get; init; } = "scene";
    /// <summary>Seed of every random draw (initial states, randomisation, noise); see <see cref="Rng.SceneRandom"/>.</summary>
    public ulong Seed { get; init; }
    /// <summary>Fixed timestep in seconds, &gt; 0.</summary>
    public double Dt { get; init; } = 0.01;
    /// <summary>Default episode length (steps after the initial state), ≥ 1.</summary>
    public int Steps { get; init; } = 1000;
    /// <summary>Default number of batched environments, ≥ 1.</summary>
    public int Envs { get; init; } = 16;
    public Integrator Integrator { get; init; } = Integrator.Rk4;

    /// <summary>The YAML spelling of an integrator (<c>rk4</c>, <c>leapfrog</c>, <c>semi_implicit_euler</c>).</summary>
    public static string YamlName(Integrator integrator) => integrator switch
    {
        Integrator.Rk4 => "rk4",
        Integrator.Leapfrog => "leapfrog",
        Integrator.SemiImplicitEuler => "semi_implicit_euler",
        _ => throw new ArgumentOutOfRangeException(nameof(integrator)),
    };
}
