using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Bridge.Streams;

/// <summary>
/// ẏ = [v; a(q, v, t)] of each state of a batch from the reference dynamics of its episode (its own rod length),
/// t = time step · dt: the targets of learned dynamics (HNN, LNN). B·S values on the host; cheap next to a frame.
/// </summary>
public static class StateDerivatives
{
    public static float[] Of(Scene scene, ReadOnlySpan<float> states, int[] episodes, int[] times)
    {
        int s = scene.StateSize, dof = s / 2;
        var result = new float[states.Length];
        Span<double> q = stackalloc double[dof], v = stackalloc double[dof], a = stackalloc double[dof];
        for (int i = 0; i < episodes.Length; i++)
        {
            var dynamics = Environments.Dynamics(scene, episodes[i]);
            for (int j = 0; j < dof; j++) (q[j], v[j]) = (states[i * s + j], states[i * s + dof + j]);
            dynamics.Accelerations(q, v, times[i] * scene.Settings.Dt, a);
            for (int j = 0; j < dof; j++) (result[i * s + j], result[i * s + dof + j]) = ((float)v[j], (float)a[j]);
        }
        return result;
    }
}
