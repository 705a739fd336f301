using System.Runtime.InteropServices;
using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Gpu;

/// <summary>
/// N environments of a scene stepped by <c>shaders/physics.comp</c> on a <see cref="VulkanDevice"/>,
/// float32, <see cref="EnvsPerInvocation"/> environments per invocation. The current state (N, S) lives in <see cref="State"/> on
/// the device; <see cref="Step"/> advances it, optionally recording every frame into
/// <see cref="TrajectoryBuffers"/>. Initial states and rod-length factors come from the reference
/// sampler (<see cref="Environments"/>), so GPU and CPU start from the same numbers.
/// </summary>
public sealed class GpuPhysics : IDisposable
{
    private const string Shader = "physics";

    /// <summary>Environments one invocation of physics.comp integrates side by side (its LANES).</summary>
    public const int EnvsPerInvocation = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct Push
    {
        public uint Envs, StateBase, ScaleBase, TrajBase, EnergyBase, Frames, LocalFrame, FirstStep, Steps;
        public float Dt, P0, P1, P2, P3, P4, P5;
    }

    /// <summary>One dispatch's slice of the batch: environments [First, First + Count) and its bindings.</summary>
    private sealed record Chunk(int First, int Count, DescriptorSet Set, uint StateBase, uint ScaleBase, uint TrajBase, uint EnergyBase);

    private readonly VulkanDevice device;
    private readonly PhysicsOptions options;
    private readonly uint systemId, integratorId;
    private readonly float[] parameters;
    private readonly uint[] spirv;
    private readonly DeviceBuffer placeholder;   // bound to the unused trajectory bindings in final-state mode
    private ComputePipeline? recordPipeline, finalPipeline;
    private readonly Dictionary<object, Chunk[]> chunks = [];
    private readonly object noRecording = new();
    private bool disposed;

    public Scene Scene { get; }
    public int Envs { get; }
    /// <summary>Index of this batch's first environment in the scene's random streams (dataset shards use it).</summary>
    public int FirstEnv { get; private set; }
    public int StateSize { get; }
    /// <summary>Steps taken since <see cref="Reset"/>; the state is at time CurrentStep·dt.</summary>
    public int CurrentStep { get; private set; }
    /// <summary>Current state (N, S) float32, updated in place on the device.</summary>
    public DeviceBuffer State { get; }
    /// <summary>Rod-length factor per environment (N,) float32 (1 without randomisation); the renderer draws with it too.</summary>
    public DeviceBuffer LengthScales { get; }

    public GpuPhysics(VulkanDevice device, Scene scene, int envs, int firstEnv = 0, PhysicsOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(envs, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstEnv);
        this.device = device;
        this.options = options ?? new PhysicsOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.WorkgroupSize, 1, nameof(PhysicsOptions.WorkgroupSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.StepsPerDispatch, 1, nameof(PhysicsOptions.StepsPerDispatch));
        Scene = scene;
        Envs = envs;
        FirstEnv = firstEnv;
        StateSize = scene.StateSize;
        var integrator = scene.Settings.Integrator;
        if (integrator == Integrator.Leapfrog && scene.System.NonSeparableReason is { } reason)
            throw new UserError($"{scene.Source}: integrator leapfrog cannot be used here: {reason}");
        integratorId = integrator switch
        {
            Integrator.Rk4 => 0u,
            Integrator.Leapfrog => 1u,
            Integrator.SemiImplicitEuler => 2u,
            _ => throw new ArgumentOutOfRangeException(nameof(scene), integrator, "unknown integrator"),
        };
        (systemId, var values) = scene.System switch
        {
            PendulumComponent p => (0u, new[] { p.Length, p.Mass, p.Gravity, p.Damping, p.Drive.Amplitude, p.Drive.Frequency }),
            DoublePendulumComponent d => (1u, new[] { d.L1, d.L2, d.M1, d.M2, d.Gravity, d.Damping }),
            var other => throw new ArgumentException($"physics.comp has no system {other.GetType().Name}", nameof(scene)),
        };
        parameters = Array.ConvertAll(values, v => (float)v);
        spirv = ShaderFiles.Load(Shader);   // a missing shaders/physics.spv fails here, naming the file

        State = device.CreateBuffer(4L * envs * StateSize);
        LengthScales = device.CreateBuffer(4L * envs);
        placeholder = device.CreateBuffer(16);
        Reset();
    }

    /// <summary>The reference sampler's initial states of environments [firstEnv, firstEnv + envs), (N, S) float32.</summary>
    public static float[] InitialStates(Scene scene, int envs, int firstEnv = 0)
    {
        var s = scene.StateSize;
        var states = new float[envs * s];
        Parallel.For(0, envs, i =>
        {
            var initial = Environments.InitialState(scene, firstEnv + i);
            for (var j = 0; j < s; j++) states[i * s + j] = (float)initial[j];
        });
        return states;
    }

    /// <summary>
    /// Back to the initial states (step 0), of environments starting at <paramref name="firstEnv"/> when
    /// given (the next shard of episodes, without reallocating). Writes from the host: no submitted work
    /// may still use this batch.
    /// </summary>
    public void Reset(int? firstEnv = null)
    {
        ThrowIfDisposed();
        if (firstEnv is { } first)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(first, nameof(firstEnv));
            FirstEnv = first;
        }
        State.Upload<float>(InitialStates(Scene, Envs, FirstEnv));
        var factors = new float[Envs];
        Parallel.For(0, Envs, i => factors[i] = (float)Environments.LengthScale(Scene, FirstEnv + i));
        LengthScales.Upload<float>(factors);
        CurrentStep = 0;
    }

    /// <summary>
    /// Advances every environment by <paramref name="steps"/> steps and waits. With
    /// <paramref name="recording"/>, writes the incoming state and each new state (frames CurrentStep …
    /// CurrentStep + steps, which must lie in its window) and their energies; without it only the final
    /// state is kept (the benchmark mode).
    /// </summary>
    public void Step(int steps, TrajectoryBuffers? recording = null)
    {
        using var commands = device.CreateCommandBuffer();
        commands.Begin();
        Record(commands, steps, recording);
        commands.End();
        commands.SubmitAndWait();
    }

    /// <summary>
    /// Appends the dispatches of <see cref="Step"/> to <paramref name="commands"/> (recording) without
    /// submitting, so physics and rendering can share one submit. <see cref="CurrentStep"/> advances now.
    /// </summary>
    public void Record(CommandBuffer commands, int steps, TrajectoryBuffers? recording = null)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (recording is not null) CheckWindow(recording, steps);
        var pipeline = recording is null ? finalPipeline ??= CreatePipeline(record: false) : recordPipeline ??= CreatePipeline(record: true);
        var slices = ChunksFor(pipeline, recording);
        if (steps == 0 && recording is null) return;
        var done = 0;
        do   // with a recording, even 0 steps dispatches once: it writes the current frame
        {
            var n = Math.Min(options.StepsPerDispatch, steps - done);
            foreach (var chunk in slices)
            {
                commands.Barrier();
                var push = new Push
                {
                    Envs = (uint)chunk.Count,
                    StateBase = chunk.StateBase,
                    ScaleBase = chunk.ScaleBase,
                    TrajBase = chunk.TrajBase,
                    EnergyBase = chunk.EnergyBase,
                    Frames = (uint)(recording?.Frames ?? 0),
                    LocalFrame = (uint)(CurrentStep + done - (recording?.FrameOffset ?? 0)),
                    FirstStep = (uint)(CurrentStep + done),
                    Steps = (uint)n,
                    Dt = (float)Scene.Settings.Dt,
                    P0 = parameters[0], P1 = parameters[1], P2 = parameters[2],
                    P3 = parameters[3], P4 = parameters[4], P5 = parameters[5],
                };
                commands.Dispatch(pipeline, chunk.Set, push, (uint)((chunk.Count + EnvsPerGroup - 1) / EnvsPerGroup));
            }
            done += n;
        } while (done < steps);
        CurrentStep += steps;
    }

    /// <summary>
    /// Runs <paramref name="steps"/> steps from the current state recording every frame and reads them to
    /// the host (explicit copy): states (N, T+1, S) and total energy (N, T+1), float32.
    /// </summary>
    public (float[] States, float[] Energy) Rollout(int steps)
    {
        using var recording = new TrajectoryBuffers(device, Envs, steps + 1, StateSize) { FrameOffset = CurrentStep };
        Step(steps, recording);
        return (recording.ReadStates(), recording.ReadEnergy());
    }

    /// <summary>Explicit host read of the current state, (N, S).</summary>
    public float[] ReadState() => State.ReadToHost<float>(Envs * StateSize);

    private void CheckWindow(TrajectoryBuffers recording, int steps)
    {
        if (recording.IsDisposed) throw new ObjectDisposedException(nameof(TrajectoryBuffers));
        if (recording.Envs != Envs || recording.StateSize != StateSize)
            throw new ArgumentException($"trajectory buffers for {recording.Envs} envs × S={recording.StateSize}, physics has {Envs} × S={StateSize}");
        int first = CurrentStep - recording.FrameOffset, last = first + steps;
        if (first < 0 || last >= recording.Frames)
            throw new ArgumentException(
                $"frames {CurrentStep}..{CurrentStep + steps} do not fit the trajectory window {recording.FrameOffset}..{recording.FrameOffset + recording.Frames - 1}");
    }

    private int EnvsPerGroup => options.WorkgroupSize * EnvsPerInvocation;

    private ComputePipeline CreatePipeline(bool record) => device.CreateComputePipeline(Shader, spirv, storageBuffers: 4,
        pushConstantBytes: Marshal.SizeOf<Push>(),
        [(uint)options.WorkgroupSize, systemId, integratorId, record ? 1u : 0u, Scene.System is PendulumComponent { Drive.IsActive: true } ? 1u : 0u]);

    /// <summary>
    /// Splits the batch so each binding stays within maxStorageBufferRange and each dispatch within
    /// maxComputeWorkGroupCount; cached per recording target (descriptor sets must outlive the submit).
    /// </summary>
    private Chunk[] ChunksFor(ComputePipeline pipeline, TrajectoryBuffers? recording)
    {
        foreach (var stale in chunks.Keys.OfType<TrajectoryBuffers>().Where(t => t.IsDisposed).ToList())
        {
            foreach (var c in chunks[stale]) c.Set.Dispose();
            chunks.Remove(stale);
        }
        var key = (object?)recording ?? noRecording;
        if (chunks.TryGetValue(key, out var cached)) return cached;

        var limit = options.MaxBindingBytes > 0 ? Math.Min(options.MaxBindingBytes, device.MaxStorageBufferRange) : device.MaxStorageBufferRange;
        long range = limit - device.StorageBufferOffsetAlignment, s = StateSize;
        long perEnv = recording is null ? 4 * s : 4 * s * recording.Frames;   // the biggest per-env binding
        if (perEnv > range)
            throw new ArgumentException(
                $"one environment's {recording!.Frames} frames need {perEnv} bytes, over the {limit}-byte binding limit: record a shorter window");
        var count = (int)Math.Min(range / perEnv, (long)device.Info.MaxWorkGroupCountX * EnvsPerGroup);
        if (options.MaxEnvsPerDispatch > 0) count = Math.Min(count, options.MaxEnvsPerDispatch);

        var list = new List<Chunk>();
        for (var first = 0; first < Envs; first += count)
        {
            var n = Math.Min(count, Envs - first);
            var state = BufferBinding.Window(State, 4 * s * first, 4 * s * n, out var stateSlack);
            var scale = BufferBinding.Window(LengthScales, 4L * first, 4L * n, out var scaleSlack);
            BufferBinding traj = placeholder, energy = placeholder;
            long trajSlack = 0, energySlack = 0;
            if (recording is not null)
            {
                traj = BufferBinding.Window(recording.States, 4 * s * recording.Frames * first, 4 * s * recording.Frames * n, out trajSlack);
                energy = BufferBinding.Window(recording.Energy, 4L * recording.Frames * first, 4L * recording.Frames * n, out energySlack);
            }
            list.Add(new Chunk(first, n, pipeline.CreateDescriptorSet(state, scale, traj, energy),
                (uint)(stateSlack / 4), (uint)(scaleSlack / 4), (uint)(trajSlack / 4), (uint)(energySlack / 4)));
        }
        return chunks[key] = [.. list];
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        foreach (var set in chunks.Values.SelectMany(c => c)) set.Set.Dispose();
        chunks.Clear();
        recordPipeline?.Dispose();
        finalPipeline?.Dispose();
        placeholder.Dispose();
        LengthScales.Dispose();
        State.Dispose();
    }
}
