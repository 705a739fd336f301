using WeJepa.Core.Rng;
using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Reference;

/// <summary>
/// What differs between the batched environments of a scene, drawn from the scene's seed with
/// <see cref="SceneRandom"/> so environment i is the same whatever the number of environments.
/// </summary>
public static class Environments
{
    /// <summary>
    /// Initial state [q; v] of environment <paramref name="env"/>: stream <see cref="RngStream.InitialState"/>,
    /// one uniform u per coordinate in state order (drawn for fixed values too), value = lo + (hi − lo)·u.
    /// </summary>
    public static double[] InitialState(Scene scene, int env)
    {
        var rng = SceneRandom.ForEnv(scene.Settings.Seed, env, RngStream.InitialState);
        return scene.InitialState.SpecsFor(scene.System).Select(spec => spec.At(rng.NextDouble())).ToArray();
    }

    /// <summary>
    /// Rod-length factor of environment <paramref name="env"/>: stream <see cref="RngStream.Randomization"/>,
    /// first uniform, mapped into <see cref="RandomizationComponent.LengthScale"/> (exactly 1 when not randomised).
    /// </summary>
    public static double LengthScale(Scene scene, int env)
    {
        var rng = SceneRandom.ForEnv(scene.Settings.Seed, env, RngStream.Randomization);
        return scene.Randomization.LengthScale.At(rng.NextDouble());
    }

    /// <summary>The dynamics of environment <paramref name="env"/> (the scene's system with its rods scaled).</summary>
    public static IDynamics Dynamics(Scene scene, int env) => Dynamics(scene.System, LengthScale(scene, env));

    public static IDynamics Dynamics(PhysicalSystemComponent system, double lengthScale = 1.0) => system switch
    {
        PendulumComponent p => new PendulumDynamics(p.Length * lengthScale, p.Mass, p.Gravity, p.Damping, p.Drive.Amplitude, p.Drive.Frequency),
        DoublePendulumComponent d => new DoublePendulumDynamics(d.L1 * lengthScale, d.L2 * lengthScale, d.M1, d.M2, d.Gravity, d.Damping),
        _ => throw new ArgumentException($"no reference dynamics for {system.GetType().Name}", nameof(system)),
    };
}
