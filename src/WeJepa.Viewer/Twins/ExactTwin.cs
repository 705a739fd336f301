using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Viewer.Twins;

/// <summary>
/// The analytic twin: the scene's own equations of motion integrated in double by the reference
/// integrators (its Hamiltonian is exact, so only the integrator and float32 storage separate it from
/// the GPU physics). The baseline every learned model is held against, and the twin of the window's
/// tests and benchmark while no checkpoint is given.
/// </summary>
public sealed class ExactTwin : ILearnedTwin
{
    private readonly IDynamics[] systems;
    private readonly Integrator integrator;

    public ExactTwin(Scene scene, int pairs)
    {
        systems = [.. Enumerable.Range(0, pairs).Select(e => Environments.Dynamics(scene, e))];
        integrator = scene.Settings.Integrator;
        Name = $"exact (reference, {SceneSettings.YamlName(integrator)}, double)";
    }

    public string Name { get; }
    public string Label => "exact";

    public void Advance(Span<float> states, double time, double dt, int steps)
    {
        var s = systems[0].StateSize;
        Span<double> y = stackalloc double[s];
        for (var e = 0; e < systems.Length; e++)
        {
            var state = states.Slice(e * s, s);
            for (var j = 0; j < s; j++) y[j] = state[j];
            for (var k = 0; k < steps; k++) Integrators.Step(integrator, systems[e], y, time + k * dt, dt);
            for (var j = 0; j < s; j++) state[j] = (float)y[j];
        }
    }
}
