using System.IO.MemoryMappedFiles;
using System.Text.Json.Nodes;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Simulation.Datasets;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge.Streams;

/// <summary>Which episodes of a dataset a stream draws from.</summary>
public enum DatasetSplit
{
    Train,
    Validation,
}

/// <summary>
/// Batches from a dataset folder written by <c>generate</c>. Each shard's frames and states files are memory-mapped
/// (the OS pages in only what a batch touches; nothing is loaded whole): the stream's own memory is one batch of
/// frames, states and indices plus the sample order (8 bytes per sample). Episodes go to the validation split by a
/// seeded hash of their index (a whole episode on one side, never split across), the rest train. Each epoch visits
/// every (episode, time) sample of the split once, in an order shuffled by (seed, epoch); the last partial batch of
/// an epoch is dropped.
/// </summary>
public sealed class DatasetBatchStream : IBatchStream
{
    private readonly Device _engine;
    private readonly Scene _scene;
    private readonly Shard[] _shards;
    private readonly Dictionary<int, Shard> _shardOf = [];   // episode → its shard
    private readonly (int Episode, int Time)[] _samples;
    private readonly int _steps, _height, _width, _stateSize, _frameBytes;
    private readonly ulong _seed;
    private readonly byte[] _frameBytesBuffer;
    private readonly float[] _frames, _states;
    private int _epoch, _position;
    private TrainingBatch? _current;

    public int BatchSize { get; }

    /// <summary>Samples (episode, time) in this split.</summary>
    public int SampleCount => _samples.Length;

    /// <summary>The episodes of this split, ascending.</summary>
    public IReadOnlyList<int> Episodes { get; }

    /// <summary>Frames per episode.</summary>
    public int Steps => _steps;

    /// <summary>
    /// One sample read straight from its mapped shard, outside the batch order (clips of consecutive frames are built
    /// from these): the frame (3, H, W) as stored (bytes 0..255) and the state (S).
    /// </summary>
    public void Read(int episode, int time, Span<byte> frame, Span<float> state)
    {
        if (!_shardOf.TryGetValue(episode, out var shard) || time < 0 || time >= _steps)
            throw new ArgumentOutOfRangeException(nameof(episode), $"dataset: no sample (episode {episode}, time {time})");
        if (frame.Length != _frameBytes || state.Length != _stateSize)
            throw new ArgumentException($"dataset: buffers of {frame.Length} and {state.Length}, a sample is {_frameBytes} bytes and {_stateSize} states");
        shard.Read(episode, time, frame, state);
    }

    public DatasetBatchStream(string folder, Device engine, DatasetSplit split, int batchSize, ulong seed, double validationFraction = 0.1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (validationFraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(validationFraction), $"validation fraction {validationFraction} is not in [0, 1)");
        var metaText = File.ReadAllText(Path.Combine(folder, DatasetMeta.FileName));
        var meta = JsonNode.Parse(metaText)!;
        _scene = SceneLoader.Parse(meta["scene"]!.GetValue<string>(), Path.Combine(folder, DatasetMeta.FileName)).With(seed: meta["seed"]!.GetValue<ulong>());
        _steps = meta["steps"]!.GetValue<int>();
        var frameShape = meta["arrays"]!["frames"]!["shape"]!.AsArray();
        (_height, _width) = (frameShape[3]!.GetValue<int>(), frameShape[4]!.GetValue<int>());
        _stateSize = _scene.StateSize;
        _frameBytes = 3 * _height * _width;
        (_engine, BatchSize, _seed) = (engine, batchSize, seed);

        var records = DatasetMeta.Shards(metaText).OrderBy(r => r.Index).ToArray();
        _shards = records.Select(r => new Shard(folder, r, _steps, _height, _width, _stateSize)).ToArray();
        foreach (var (record, shard) in records.Zip(_shards))
            for (int e = record.FirstEpisode; e < record.FirstEpisode + record.Episodes; e++) _shardOf[e] = shard;
        Episodes = records.SelectMany(r => Enumerable.Range(r.FirstEpisode, r.Episodes))
            .Where(e => IsValidation(e, seed, validationFraction) == (split == DatasetSplit.Validation)).ToArray();
        _samples = Episodes.SelectMany(e => Enumerable.Range(0, _steps).Select(t => (e, t))).ToArray();
        if (_samples.Length < batchSize)
            throw new ArgumentException($"{folder}: the {split} split holds {_samples.Length} samples, fewer than one batch of {batchSize}");
        _frameBytesBuffer = new byte[batchSize * _frameBytes];
        _frames = new float[batchSize * _frameBytes];
        _states = new float[batchSize * _stateSize];
        Shuffle();
    }

    /// <summary>Whether <paramref name="episode"/> is a validation episode: a seeded hash, so the split is the same for any shard layout.</summary>
    public static bool IsValidation(int episode, ulong seed, double fraction)
    {
        ulong h = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(episode + 1));
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return (h >> 11) * (1.0 / (1UL << 53)) < fraction;
    }

    public TrainingBatch Next()
    {
        _current?.Dispose();
        if (_position + BatchSize > _samples.Length)
        {
            _epoch++;
            Shuffle();
        }
        var episodes = new int[BatchSize];
        var times = new int[BatchSize];
        for (int i = 0; i < BatchSize; i++)
        {
            var (episode, time) = _samples[_position + i];
            (episodes[i], times[i]) = (episode, time);
            _shardOf[episode].Read(episode, time, _frameBytesBuffer.AsSpan(i * _frameBytes, _frameBytes), _states.AsSpan(i * _stateSize, _stateSize));
        }
        _position += BatchSize;
        for (int i = 0; i < _frames.Length; i++) _frames[i] = _frameBytesBuffer[i] * (1f / 255f);
        var derivatives = StateDerivatives.Of(_scene, _states, episodes, times);
        return _current = new TrainingBatch(TrainingBatch.Upload(_engine, _frames, BatchSize, 3, _height, _width),
            TrainingBatch.Upload(_engine, _states, BatchSize, _stateSize), TrainingBatch.Upload(_engine, derivatives, BatchSize, _stateSize),
            episodes, times) { OwnsFrames = true };
    }

    /// <summary>Fisher–Yates over the sample list with a generator seeded by (seed, epoch).</summary>
    private void Shuffle()
    {
        var random = new Random(unchecked((int)(_seed ^ (_seed >> 32)) ^ (_epoch * 7919)));
        for (int i = _samples.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (_samples[i], _samples[j]) = (_samples[j], _samples[i]);
        }
        _position = 0;
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        foreach (var shard in _shards) shard.Dispose();
    }

    /// <summary>One shard's frames and states files, mapped read-only.</summary>
    private sealed class Shard : IDisposable
    {
        private readonly ShardRecord _record;
        private readonly int _steps, _frameBytes, _stateSize;
        private readonly MemoryMappedFile _frames, _states;
        private readonly MemoryMappedViewAccessor _frameView, _stateView;
        private readonly long _frameHeader, _stateHeader;

        public Shard(string folder, ShardRecord record, int steps, int height, int width, int stateSize)
        {
            (_record, _steps, _frameBytes, _stateSize) = (record, steps, 3 * height * width, stateSize);
            _frameHeader = Npy.Header("|u1", [record.Episodes, steps, 3, height, width]).Length;   // as DatasetWriter wrote it
            _stateHeader = Npy.Header("<f4", [record.Episodes, steps, stateSize]).Length;
            _frames = MemoryMappedFile.CreateFromFile(Path.Combine(folder, DatasetPlan.FramesFile(record.Index)), FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            _states = MemoryMappedFile.CreateFromFile(Path.Combine(folder, DatasetPlan.StatesFile(record.Index)), FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            _frameView = _frames.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            _stateView = _states.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        }

        public void Read(int episode, int time, Span<byte> frame, Span<float> state)
        {
            long sample = (long)(episode - _record.FirstEpisode) * _steps + time;
            ReadBytes(_frameView, _frameHeader + sample * _frameBytes, frame);
            ReadBytes(_stateView, _stateHeader + sample * _stateSize * 4, System.Runtime.InteropServices.MemoryMarshal.AsBytes(state));
        }

        private static unsafe void ReadBytes(MemoryMappedViewAccessor view, long offset, Span<byte> into)
        {
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            try { new ReadOnlySpan<byte>(pointer + view.PointerOffset + offset, into.Length).CopyTo(into); }
            finally { view.SafeMemoryMappedViewHandle.ReleasePointer(); }
        }

        public void Dispose()
        {
            _frameView.Dispose();
            _stateView.Dispose();
            _frames.Dispose();
            _states.Dispose();
        }
    }
}
