using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Reference;

/// <summary>
/// Checks a simulated batch before it is written: every state and energy must be finite in float32 (the
/// file type). The scene's ranges keep each parameter sensible, but their combination can still diverge
/// (a stiff pendulum with a large dt), and a run must not report success over Inf/NaN files.
/// </summary>
public static class TrajectoryChecks
{
    /// <summary>Throws a <see cref="UserError"/> (exit 2) naming the scene, the first bad env/step/value and what to change.</summary>
    public static void EnsureFinite(Scene scene, Trajectory t)
    {
        var names = scene.System.StateNames;
        for (long i = 0; i < t.States.LongLength; i++)
            if (!float.IsFinite((float)t.States[i]))
            {
                long frame = i / t.StateSize;
                throw Diverged(scene, (int)(frame / t.Frames), (int)(frame % t.Frames), $"{names[(int)(i % t.StateSize)]} = {t.States[i]}");
            }
        for (long i = 0; i < t.Kinetic.LongLength; i++)
            if (!float.IsFinite((float)(t.Kinetic[i] + t.Potential[i])))
                throw Diverged(scene, (int)(i / t.Frames), (int)(i % t.Frames), $"energy = {t.Kinetic[i] + t.Potential[i]}");
    }

    private static UserError Diverged(Scene scene, int env, int step, string what) =>
        new($"{scene.Source}: the simulation diverged: env {env}, step {step}: {what} does not fit float32; " +
            $"lower scene.dt (now {scene.Settings.Dt} s) or make the system less stiff (integrator {SceneSettings.YamlName(scene.Settings.Integrator)})");
}
