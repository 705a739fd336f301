using ILGPU.Runtime;

namespace WeJepa.Learning.Devices;

// The device's side of the ownership rules (the design note on Tape): the steps running on it, the stream its
// work is queued on, and what its pool holds.
public sealed partial class Device
{
    /// <summary>The steps running on this device (one thread's at a time).</summary>
    internal StepStack Steps { get; } = new();

    /// <summary>The stream every op on this device queues its work on.</summary>
    public AcceleratorStream Stream => Accelerator.DefaultStream;

    /// <summary>Bytes the buffer pool has allocated (rented plus idle): flat across steps once shapes repeat.</summary>
    public long PooledBytes => pool.AllocatedBytes;

    /// <summary>Pooled buffers rented out now: the storage of every live pooled tensor.</summary>
    public long LiveBuffers => pool.Rented;

    /// <summary>How often a pooled buffer moved between streams (each move waited for the old stream).</summary>
    public long CrossStreamWaits => pool.CrossStreamWaits;

}
