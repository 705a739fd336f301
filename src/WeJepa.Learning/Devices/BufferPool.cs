using ILGPU;
using ILGPU.Runtime;

namespace WeJepa.Learning.Devices;

/// <summary>
/// Reuses device buffers by exact length: a training step allocates the same shapes every step, so
/// after the first step no op allocates. Buffers go back here when their tensor is disposed.
/// </summary>
sealed class BufferPool(Accelerator accelerator) : IDisposable
{
    readonly Dictionary<long, Stack<MemoryBuffer1D<float, Stride1D.Dense>>> free = new();
    readonly Lock gate = new();

    public MemoryBuffer1D<float, Stride1D.Dense> Rent(long length)
    {
        lock (gate)
        {
            if (free.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
        }
        return accelerator.Allocate1D<float>(Math.Max(1, length));
    }

    public void Return(MemoryBuffer1D<float, Stride1D.Dense> buffer)
    {
        lock (gate)
        {
            if (!free.TryGetValue(buffer.Length, out var stack)) free[buffer.Length] = stack = new();
            stack.Push(buffer);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            foreach (var stack in free.Values)
                while (stack.Count > 0) stack.Pop().Dispose();
            free.Clear();
        }
    }
}
