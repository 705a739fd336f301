namespace WeJepa.Core.Scenes;

/// <summary>A component attached to a scene object (Unity style); the YAML key is its type name.</summary>
public abstract record Component;

/// <summary>A component that defines the simulated dynamics. A scene holds exactly one.</summary>
public abstract record PhysicalSystemComponent : Component
{
    /// <summary>State size S: (θ, ω) → 2 for a pendulum, (θ1, θ2, ω1, ω2) → 4 for the double pendulum.</summary>
    public abstract int StateSize { get; }
    /// <summary>Names of the state coordinates in state order (also the InitialState keys).</summary>
    public abstract IReadOnlyList<string> StateNames { get; }
    /// <summary>Linear damping coefficient (1/s) added as −damping·ω to each angular acceleration.</summary>
    public abstract double Damping { get; init; }
    public abstract double Gravity { get; init; }
    /// <summary>
    /// True when H = T(p) + V(q) with forces independent of velocity, which explicit leapfrog needs
    /// to be symplectic; the reason when not.
    /// </summary>
    public abstract string? NonSeparableReason { get; }
}

/// <summary>Periodic torque per unit inertia: amplitude·cos(2π·frequency·t) (rad/s²).</summary>
public sealed record Drive(double Amplitude = 0.0, double Frequency = 0.0)
{
    public bool IsActive => Amplitude != 0.0;
}

/// <summary>Simple pendulum: θ̈ = −(g/L)·sin θ − damping·ω + amplitude·cos(2π·frequency·t).</summary>
public sealed record PendulumComponent : PhysicalSystemComponent
{
    public double Length { get; init; } = 1.0;
    public double Mass { get; init; } = 1.0;
    public override double Gravity { get; init; } = 9.81;
    public override double Damping { get; init; }
    public Drive Drive { get; init; } = new();

    public override int StateSize => 2;
    public override IReadOnlyList<string> StateNames => ["theta", "omega"];
    public override string? NonSeparableReason => Damping != 0.0
        ? $"damping = {Damping} makes the force depend on the velocity ω, so the explicit kick-drift-kick scheme is no longer symplectic"
        : null;
}

/// <summary>
/// Double pendulum of two point masses on massless rods; θ1, θ2 are absolute angles from the
/// downward vertical. The equations are documented on the reference implementation.
/// </summary>
public sealed record DoublePendulumComponent : PhysicalSystemComponent
{
    public double L1 { get; init; } = 1.0;
    public double L2 { get; init; } = 1.0;
    public double M1 { get; init; } = 1.0;
    public double M2 { get; init; } = 1.0;
    public override double Gravity { get; init; } = 9.81;
    public override double Damping { get; init; }

    public override int StateSize => 4;
    public override IReadOnlyList<string> StateNames => ["theta1", "theta2", "omega1", "omega2"];
    public override string? NonSeparableReason =>
        "the double pendulum's kinetic energy couples the velocities through cos(θ1 − θ2) (a non-separable Hamiltonian), " +
        "so explicit leapfrog is not symplectic for it";
}

/// <summary>One initial-state coordinate: a fixed value, or uniform in [Low, High] per environment.</summary>
public sealed record ValueSpec(double Low, double High)
{
    public static ValueSpec Fixed(double value) => new(value, value);
    public bool IsFixed => Low == High;
    /// <summary>Maps a uniform u in [0, 1) to this range (a fixed value ignores u).</summary>
    public double At(double u) => IsFixed ? Low : Low + (High - Low) * u;
}

/// <summary>
/// Initial state per coordinate, keyed by the system's <see cref="PhysicalSystemComponent.StateNames"/>;
/// coordinates not given start at 0.
/// </summary>
public sealed record InitialStateComponent(IReadOnlyDictionary<string, ValueSpec> Values) : Component
{
    public static InitialStateComponent Zero { get; } = new(new Dictionary<string, ValueSpec>());

    /// <summary>The spec of each coordinate of <paramref name="system"/>, in state order.</summary>
    public ValueSpec[] SpecsFor(PhysicalSystemComponent system) =>
        system.StateNames.Select(n => Values.TryGetValue(n, out var v) ? v : ValueSpec.Fixed(0.0)).ToArray();
}

/// <summary>Linear RGB colour, each channel in [0, 1].</summary>
public readonly record struct Rgb(double R, double G, double B);

/// <summary>A 2-D point in world units (x right, y up).</summary>
public readonly record struct Vec2(double X, double Y);

/// <summary>The camera: image size and the world window it sees (scale = world units across the width).</summary>
public sealed record CameraComponent : Component
{
    public int Width { get; init; } = 64;
    public int Height { get; init; } = 64;
    public double Scale { get; init; } = 2.5;
    /// <summary>World point at the image centre; the pendulum pivot is at the world origin.</summary>
    public Vec2 Center { get; init; }
}

/// <summary>How the renderer draws pendulums (lengths in world units, colours in 0..1).</summary>
public sealed record AppearanceComponent : Component
{
    public Rgb Background { get; init; } = new(0.07, 0.08, 0.10);
    public Rgb RodColor { get; init; } = new(0.85, 0.85, 0.85);
    public Rgb BobColor { get; init; } = new(0.95, 0.45, 0.15);
    public Rgb PivotColor { get; init; } = new(0.5, 0.5, 0.5);
    public double RodWidth { get; init; } = 0.04;
    public double BobRadius { get; init; } = 0.12;
    public double PivotRadius { get; init; } = 0.05;
}

/// <summary>
/// Per-environment domain randomisation. <see cref="LengthScale"/> multiplies every rod length
/// (physics and rendering alike) by a factor uniform in the range; <see cref="ColorJitter"/> is the
/// half-width of a uniform per-channel offset the renderer adds to every colour.
/// </summary>
public sealed record RandomizationComponent : Component
{
    public double ColorJitter { get; init; }
    public ValueSpec LengthScale { get; init; } = ValueSpec.Fixed(1.0);
}

/// <summary>Additive Gaussian noise on rendered pixels in [0, 1] (then clamped).</summary>
public sealed record SensorNoiseComponent : Component
{
    public double Stddev { get; init; }
}

/// <summary>A named scene object carrying components.</summary>
public sealed record SceneObject(string Name, IReadOnlyList<Component> Components)
{
    public T? Get<T>() where T : Component => Components.OfType<T>().FirstOrDefault();
}
