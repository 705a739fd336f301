using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Datasets;

/// <summary>
/// Episodes from the C# references: double-precision physics (<see cref="ReferenceSimulator.Rollout"/>,
/// stored as float32) and <see cref="ReferenceRenderer"/>. Slow; the specification for the GPU source
/// and a fallback that needs no Vulkan driver.
/// </summary>
public sealed class ReferenceEpisodeSource(Scene scene) : IEpisodeSource
{
    private readonly RenderSpec _spec = RenderSpec.FromScene(scene);

    public int MaxFramesPerRender { get; init; } = 64;

    public void CheckFits(int episodes, int steps)
    {
        if ((long)episodes * steps * scene.StateSize > Array.MaxLength)
            throw new UserError($"{episodes} episodes × {steps} frames × S={scene.StateSize} states do not fit one host array; lower --shard-episodes");
    }

    public IEpisodeBatch Simulate(int firstEpisode, int count, int steps)
    {
        int s = scene.StateSize;
        var states = new float[(long)count * steps * s];
        var energy = new float[(long)count * steps];
        var lengthScales = new float[count];
        Parallel.For(0, count, e =>
        {
            int env = firstEpisode + e;
            var trajectory = new double[steps * s];
            var (kinetic, potential) = (new double[steps], new double[steps]);
            ReferenceSimulator.Rollout(Environments.Dynamics(scene, env), scene.Settings.Integrator, Environments.InitialState(scene, env),
                scene.Settings.Dt, steps - 1, trajectory, kinetic, potential);
            for (int i = 0; i < trajectory.Length; i++) states[(long)e * steps * s + i] = (float)trajectory[i];
            for (int k = 0; k < steps; k++) energy[(long)e * steps + k] = (float)(kinetic[k] + potential[k]);
            lengthScales[e] = (float)Environments.LengthScale(scene, env);
        });
        return new Batch(_spec, states, energy, EnvLooks.Draw(_spec, firstEpisode, lengthScales), new FrameIndexing(steps, (uint)firstEpisode),
            MaxFramesPerRender);
    }

    public void Dispose() { }

    /// <summary>Renders synchronously in <see cref="BeginRender"/>, into a managed array per slot.</summary>
    private sealed class Batch(RenderSpec spec, float[] states, float[] energy, float[] looks, FrameIndexing indexing, int maxFrames) : IEpisodeBatch
    {
        private readonly byte[][] _slots = [new byte[maxFrames * spec.FrameFloats], new byte[maxFrames * spec.FrameFloats]];
        private readonly int[] _counts = new int[IEpisodeBatch.FrameSlots];

        public float[] States => states;
        public float[] Energy => energy;

        public void BeginRender(int slot, int start, int count)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(count, maxFrames);
            var values = new float[count * spec.FrameFloats];
            Parallel.For(0, count, i => ReferenceRenderer.Render(spec, states, looks, indexing, start + i,
                values.AsSpan(i * spec.FrameFloats, spec.FrameFloats)));
            ReferenceRenderer.Quantize(values, _slots[slot]);
            _counts[slot] = count;
        }

        public ReadOnlySpan<byte> EndRender(int slot) => _slots[slot].AsSpan(0, _counts[slot] * spec.FrameFloats);

        public void Dispose() { }
    }
}
