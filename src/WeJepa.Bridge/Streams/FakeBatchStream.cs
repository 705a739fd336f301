using WeJepa.Learning;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge.Streams;

/// <summary>
/// Random frames (uniform [0, 1)), states and derivatives (standard normal) of a given shape: a smoke test of a
/// trainer without a simulator or a dataset. Batch k is a pure function of (seed, k).
/// </summary>
public sealed class FakeBatchStream(Device engine, int batchSize, int height, int width, int stateSize, ulong seed) : IBatchStream
{
    private TrainingBatch? _current;
    private int _batch;

    public int BatchSize { get; } = batchSize > 0 ? batchSize : throw new ArgumentOutOfRangeException(nameof(batchSize), $"batch size {batchSize}");

    public TrainingBatch Next()
    {
        _current?.Dispose();
        var random = new Random(unchecked((int)(seed ^ (seed >> 32)) * 31 + _batch));
        var frames = new float[BatchSize * 3 * height * width];
        for (int i = 0; i < frames.Length; i++) frames[i] = random.NextSingle();
        float[] Normal(int n) => Enumerable.Range(0, n).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
        var states = Normal(BatchSize * stateSize);
        var derivatives = Normal(BatchSize * stateSize);
        var episodes = Enumerable.Range(_batch * BatchSize, BatchSize).ToArray();
        _batch++;
        return _current = new TrainingBatch(TrainingBatch.Upload(engine, frames, BatchSize, 3, height, width),
            TrainingBatch.Upload(engine, states, BatchSize, stateSize), TrainingBatch.Upload(engine, derivatives, BatchSize, stateSize),
            episodes, new int[BatchSize]) { OwnsFrames = true };
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
    }
}
