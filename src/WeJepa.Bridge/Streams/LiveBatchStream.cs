using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge.Streams;

/// <summary>
/// Batches from the running simulator: <see cref="BatchSize"/> episodes of the scene advance together
/// (<see cref="Stride"/> physics steps between batches); each batch is one frame of each, rendered straight into a
/// <see cref="SharedBuffer"/> the engine reads without a copy. When the episodes reach the scene's length, the next
/// <see cref="BatchSize"/> episodes start (episode indices keep counting, so every batch is new data).
/// Double-buffered: while the caller trains on one slot, a worker simulates and renders the next batch into the
/// other. Host traffic per batch is the states (B·S floats, read for the derivatives and the states tensor) and,
/// on a new set of episodes, their looks; frames never cross. Deterministic: the scene's seed fixes every episode.
/// </summary>
public sealed class LiveBatchStream : IBatchStream
{
    private readonly Device _engine;
    private readonly Scene _scene;
    private readonly GpuPhysics _physics;
    private readonly GpuRenderer _renderer;
    private readonly DeviceBuffer _looks;
    private readonly Slot[] _slots;
    private readonly int _episodeSteps;
    private int _firstEpisode, _ready = -1;
    private Task? _pending;
    private TrainingBatch? _current;

    public int BatchSize { get; }
    public int Stride { get; }
    public RenderSpec Spec => _renderer.Spec;

    public LiveBatchStream(VulkanDevice vulkan, Device engine, Scene scene, int batchSize, int stride = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        (_engine, _scene, BatchSize, Stride) = (engine, scene, batchSize, stride);
        _episodeSteps = Math.Max(1, scene.Settings.Steps);
        _physics = new GpuPhysics(vulkan, scene, batchSize);
        _renderer = new GpuRenderer(vulkan, RenderSpec.FromScene(scene));
        _looks = vulkan.CreateBuffer(4L * batchSize * EnvLooks.FloatsPerEnv);
        UploadLooks();
        long frameBytes = batchSize * _renderer.FrameBytes(FrameFormat.Float32);
        _slots = [new Slot(SharedBuffer.Create(vulkan, engine, frameBytes)), new Slot(SharedBuffer.Create(vulkan, engine, frameBytes))];
    }

    public TrainingBatch Next()
    {
        _current?.Dispose();
        if (_pending is null) Fill(_slots[0]);
        else _pending.GetAwaiter().GetResult();
        var slot = _slots[_ready = _ready < 0 ? 0 : _ready ^ 1];
        var other = _slots[_ready ^ 1];
        other.Frames.ReleaseToSimulator();   // the previous batch lived there: the engine must be done with it
        _pending = Task.Run(() => Fill(other));
        var spec = _renderer.Spec;
        var frames = slot.Frames.Float32(0, BatchSize, 3, spec.Height, spec.Width);
        var derivatives = StateDerivatives.Of(_scene, slot.States, slot.Episodes, slot.Times);
        return _current = new TrainingBatch(frames, TrainingBatch.Upload(_engine, slot.States, BatchSize, _scene.StateSize),
            TrainingBatch.Upload(_engine, derivatives, BatchSize, _scene.StateSize), slot.Episodes, slot.Times) { OwnsFrames = true };
    }

    /// <summary>Renders the episodes' current frame into the slot, notes states and indices, then advances the physics.</summary>
    private void Fill(Slot slot)
    {
        if (_physics.CurrentStep >= _episodeSteps)
        {
            _firstEpisode += BatchSize;
            _physics.Reset(_firstEpisode);
            UploadLooks();
        }
        _renderer.Render(_physics.State, _looks, new FrameIndexing(1, (uint)_firstEpisode, (uint)_physics.CurrentStep), 0, BatchSize,
            slot.Frames.Vulkan, 0, FrameFormat.Float32);
        slot.States = _physics.ReadState();
        slot.Episodes = Enumerable.Range(_firstEpisode, BatchSize).ToArray();
        slot.Times = Enumerable.Repeat(_physics.CurrentStep, BatchSize).ToArray();
        _physics.Step(Math.Min(Stride, _episodeSteps - _physics.CurrentStep));
    }

    private void UploadLooks()
    {
        var scales = Enumerable.Range(_firstEpisode, BatchSize).Select(e => (float)Environments.LengthScale(_scene, e)).ToArray();
        _looks.Upload<float>(EnvLooks.Draw(RenderSpec.FromScene(_scene), _firstEpisode, scales));
    }

    public void Dispose()
    {
        try { _pending?.GetAwaiter().GetResult(); }
        finally
        {
            _current?.Dispose();
            foreach (var slot in _slots) slot.Frames.Dispose();
            _looks.Dispose();
            _renderer.Dispose();
            _physics.Dispose();
        }
    }

    private sealed class Slot(SharedBuffer frames)
    {
        public SharedBuffer Frames { get; } = frames;
        public float[] States { get; set; } = [];
        public int[] Episodes { get; set; } = [];
        public int[] Times { get; set; } = [];
    }
}
