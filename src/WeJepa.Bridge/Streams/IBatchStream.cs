using WeJepa.Learning;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge.Streams;

/// <summary>
/// Where training batches come from: the live simulator (<see cref="LiveBatchStream"/>), a dataset written by
/// <c>generate</c> (<see cref="DatasetBatchStream"/>), or random frames for smoke tests (<see cref="FakeBatchStream"/>).
/// Every stream is deterministic for its seed. A batch stays valid until the next <see cref="Next"/> (streams reuse
/// their memory); the stream disposes it.
/// </summary>
public interface IBatchStream : IDisposable
{
    int BatchSize { get; }

    /// <summary>The next batch of <see cref="BatchSize"/> samples.</summary>
    TrainingBatch Next();
}

/// <summary>
/// One batch: frames (B, 3, H, W) float32 in [0, 1]; states (B, S) and their time derivatives (B, S) = [q̇; q̈];
/// which episode and time step each sample is (host arrays, for splits and for the trainer's logs).
/// </summary>
public sealed class TrainingBatch(Tensor frames, Tensor states, Tensor derivatives, int[] episodes, int[] times) : IDisposable
{
    public Tensor Frames { get; } = frames;
    public Tensor States { get; } = states;
    public Tensor Derivatives { get; } = derivatives;
    public int[] Episodes { get; } = episodes;
    public int[] Times { get; } = times;

    /// <summary>Frees the states and derivatives; frames are the stream's (a view of its buffers) unless it says otherwise.</summary>
    internal bool OwnsFrames { get; init; }

    /// <summary>
    /// A tensor of host values that the batch owns, never a running Tape step (the batch outlives the step that
    /// consumes it, and the stream frees it on the next <see cref="IBatchStream.Next"/>).
    /// </summary>
    internal static Tensor Upload(Device engine, float[] values, params int[] shape)
    {
        var tensor = Tensor.EmptyUnscoped(engine, shape);
        tensor.CopyFrom(values);
        return tensor;
    }

    public void Dispose()
    {
        if (OwnsFrames) Frames.Dispose();
        States.Dispose();
        Derivatives.Dispose();
    }
}
