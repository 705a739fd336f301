using ILGPU;
using ILGPU.Runtime;

namespace WeJepa.Learning.Devices;

/// <summary>
/// Reuses device buffers by exact byte length: a training step allocates the same shapes every step, so after
/// the first step no op allocates. Reuse is stream-ordered (the ownership note on <see cref="Tape"/>): a returned
/// buffer keeps the stream its last work was queued on; a renter on the same stream gets it at once, a renter on
/// another stream only after that stream has drained.
/// </summary>
sealed class BufferPool(Accelerator accelerator) : IDisposable
{
    readonly Dictionary<long, List<(MemoryBuffer1D<byte, Stride1D.Dense> Buffer, AcceleratorStream Stream)>> free = new();
    readonly Lock gate = new();
    long allocatedBytes, freeBytes, rented, crossStreamWaits;

    /// <summary>Bytes of every buffer this pool has allocated and not freed (rented out plus idle).</summary>
    public long AllocatedBytes { get { lock (gate) return allocatedBytes; } }
    /// <summary>Bytes idle in the pool, ready for reuse.</summary>
    public long FreeBytes { get { lock (gate) return freeBytes; } }
    /// <summary>Buffers currently rented out (live tensors' storage).</summary>
    public long Rented { get { lock (gate) return rented; } }
    /// <summary>How often a buffer moved to another stream, waiting for its old stream first.</summary>
    public long CrossStreamWaits { get { lock (gate) return crossStreamWaits; } }

    public MemoryBuffer1D<byte, Stride1D.Dense> Rent(long bytes, AcceleratorStream stream)
    {
        long length = Math.Max(1, bytes);
        AcceleratorStream? drain = null;
        MemoryBuffer1D<byte, Stride1D.Dense>? buffer = null;
        lock (gate)
        {
            if (free.TryGetValue(length, out var list) && list.Count > 0)
            {
                int pick = list.FindLastIndex(e => e.Stream == stream);
                if (pick < 0)
                {
                    pick = list.Count - 1;
                    drain = list[pick].Stream;
                    crossStreamWaits++;
                }
                buffer = list[pick].Buffer;
                list.RemoveAt(pick);
                freeBytes -= length;
            }
            rented++;
        }
        drain?.Synchronize(); // the old stream's readers must finish before another stream may write
        if (buffer is not null) return buffer;
        var fresh = accelerator.Allocate1D<byte>(length);
        lock (gate) allocatedBytes += length;
        return fresh;
    }

    /// <summary>Takes a buffer back; <paramref name="stream"/> is the stream whose queued work last used it.</summary>
    public void Return(MemoryBuffer1D<byte, Stride1D.Dense> buffer, AcceleratorStream stream)
    {
        lock (gate)
        {
            if (!free.TryGetValue(buffer.Length, out var list)) free[buffer.Length] = list = [];
            list.Add((buffer, stream));
            freeBytes += buffer.Length;
            rented--;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var list in free.Values)
                foreach (var (buffer, _) in list) buffer.Dispose();
            free.Clear();
            allocatedBytes -= freeBytes;
            freeBytes = 0;
        }
    }
}
