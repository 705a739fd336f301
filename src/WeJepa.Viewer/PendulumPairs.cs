using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.Viewer.Twins;
using WeJepa.Vulkan;

namespace WeJepa.Viewer;

/// <summary>
/// K pairs started from the same states: the true pendulums on the simulator's physics (on the device),
/// the learned ones on an <see cref="ILearnedTwin"/>. <see cref="RecordStates"/> gathers both into one
/// (2K, S) device buffer for the renderer: the true half by a device copy, the learned half uploaded
/// (K·S floats). Energies are the scene's Hamiltonian evaluated at each state.
/// </summary>
public sealed class PendulumPairs : IDisposable
{
    private readonly Scene scene;
    private readonly GpuPhysics physics;
    private readonly IDynamics[] systems;
    private readonly DeviceBuffer combined;
    private float[] learned;
    private float[] truth;

    public int Pairs { get; }
    public int StateSize { get; }
    public double Dt => scene.Settings.Dt;
    public ILearnedTwin Twin { get; set; }
    /// <summary>Steps since the last reset; the states are at time <see cref="Time"/> = Step·dt.</summary>
    public long Step { get; private set; }
    public double Time => Step * Dt;
    /// <summary>How many resets so far: reset n draws its initial states with seed + n.</summary>
    public int Resets { get; private set; }
    /// <summary>Total energy of each pair at the last reset (the drift reference).</summary>
    public double[] InitialEnergy { get; private set; } = [];

    public PendulumPairs(VulkanDevice device, Scene scene, int pairs, ILearnedTwin twin)
    {
        this.scene = scene;
        Pairs = pairs;
        StateSize = scene.StateSize;
        Twin = twin;
        physics = new GpuPhysics(device, scene, pairs);
        systems = [.. Enumerable.Range(0, pairs).Select(e => Environments.Dynamics(scene, e))];
        combined = device.CreateBuffer(4L * 2 * pairs * StateSize);
        truth = physics.ReadState();
        learned = (float[])truth.Clone();
        InitialEnergy = [.. Enumerable.Range(0, pairs).Select(e => Energy(truth, e))];
    }

    /// <summary>Rod-length factor per pair (the scene's randomisation), for drawing.</summary>
    public float[] LengthScales => physics.LengthScales.ReadToHost<float>(Pairs);

    /// <summary>The true states (K, S) as of the last <see cref="Advance"/> (a host copy).</summary>
    public ReadOnlySpan<float> TrueStates => truth;
    public ReadOnlySpan<float> LearnedStates => learned;

    /// <summary>Both systems by <paramref name="steps"/> steps (the true on the device, then the twin); <paramref name="stages"/> hears each one's time.</summary>
    public void Advance(int steps, FrameStages? stages = null)
    {
        if (steps <= 0) return;
        physics.Step(steps);
        physics.State.ReadToHost<float>(truth);
        stages?.Mark(FrameStage.Physics);
        Twin.Advance(learned, Time, Dt, steps);
        stages?.Mark(FrameStage.Twin);
        Step += steps;
    }

    /// <summary>A new shared initial state for every pair, drawn from the scene's InitialState with seed + reset count.</summary>
    public void Reset()
    {
        Resets++;
        var drawn = GpuPhysics.InitialStates(scene.With(seed: scene.Settings.Seed + (ulong)Resets), Pairs);
        SetBoth(drawn);
    }

    /// <summary>Adds <paramref name="omega"/> rad/s to every angular velocity of both systems.</summary>
    public void Kick(float omega)
    {
        AddOmega(truth, omega);
        AddOmega(learned, omega);
        physics.State.Upload<float>(truth);
    }

    private void AddOmega(float[] states, float omega)
    {
        for (var e = 0; e < Pairs; e++)
            for (var j = StateSize / 2; j < StateSize; j++) states[e * StateSize + j] += omega;
    }

    /// <summary>Holds the true pendulum of <paramref name="pair"/> at angle θ (first link), at rest; the learned one is untouched until <see cref="Release"/>.</summary>
    public void Hold(int pair, float theta)
    {
        var s = truth.AsSpan(pair * StateSize, StateSize);
        s.Clear();
        s[0] = theta;
        if (StateSize == 4) s[1] = theta;   // a double pendulum is held straight
        physics.State.Upload<float>(truth);
    }

    /// <summary>The learned pendulum of <paramref name="pair"/> restarts from the true one's state.</summary>
    public void Release(int pair)
    {
        truth.AsSpan(pair * StateSize, StateSize).CopyTo(learned.AsSpan(pair * StateSize, StateSize));
        InitialEnergy[pair] = Energy(truth, pair);
    }

    /// <summary>Total energy of pair <paramref name="e"/>'s state in <paramref name="states"/> (K, S).</summary>
    public double Energy(ReadOnlySpan<float> states, int e)
    {
        Span<double> y = stackalloc double[StateSize];
        for (var j = 0; j < StateSize; j++) y[j] = states[e * StateSize + j];
        return systems[e].Energy(y).Total;
    }

    /// <summary>Records the gathering of both halves into the (2K, S) buffer the renderer reads; returns it.</summary>
    public DeviceBuffer RecordStates(CommandBuffer commands)
    {
        var half = 4L * Pairs * StateSize;
        combined.Upload<float>(learned, half);
        commands.CopyBuffer(physics.State, 0, combined, 0, half);
        commands.Barrier();
        return combined;
    }

    private void SetBoth(float[] states)
    {
        physics.Reset();
        physics.State.Upload<float>(states);
        truth = (float[])states.Clone();
        learned = (float[])states.Clone();
        Step = 0;
        InitialEnergy = [.. Enumerable.Range(0, Pairs).Select(e => Energy(truth, e))];
    }

    public void Dispose()
    {
        combined.Dispose();
        physics.Dispose();
    }
}
