using System.Numerics.Tensors;
using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>Sum of every element: a rank-0 tensor.</summary>
    public static Tensor Sum(Tensor x) => Sum(x, Enumerable.Range(0, x.Rank).ToArray(), keepDims: false);

    /// <summary>Sum over <paramref name="axes"/> (negative = from the end); kept as size-1 dims when <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false)
    {
        var reduce = new bool[x.Rank];
        foreach (var axis in axes) reduce[Shapes.Axis("sum", axis, x.Rank)] = true;
        var kept = x.Shape.Select((d, i) => reduce[i] ? 1 : d).ToArray();
        var shape = keepDims ? kept : x.Shape.Where((_, i) => !reduce[i]).ToArray();
        var result = SumKeep(x, reduce, shape);
        return Tape.Record("sum", result, [x], (g, _) => [Expand(g.Rank == kept.Length ? g : Reshape(g, kept), x.Shape)]);
    }

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Sum(x, [axis], keepDims);

    /// <summary>Sums a broadcast result back to <paramref name="shape"/> (the gradient of broadcasting).</summary>
    public static Tensor SumTo(Tensor x, int[] shape)
    {
        if (Shapes.Equal(x.Shape, shape)) return x;
        int lead = x.Rank - shape.Length;
        if (lead < 0) throw new ShapeError($"sum_to: cannot reduce {Shapes.Format(x.Shape)} to {Shapes.Format(shape)}");
        var axes = new List<int>();
        for (int i = 0; i < x.Rank; i++)
        {
            if (i < lead) { axes.Add(i); continue; }
            if (shape[i - lead] == 1 && x.Shape[i] != 1) axes.Add(i);
            else if (shape[i - lead] != x.Shape[i])
                throw new ShapeError($"sum_to: cannot reduce {Shapes.Format(x.Shape)} to {Shapes.Format(shape)}");
        }
        return Reshape(Sum(x, axes.ToArray(), keepDims: true), shape);
    }

    /// <summary>
    /// Reduces the flagged axes one contiguous run at a time, innermost first; the last pass writes
    /// straight into a tensor of <paramref name="finalShape"/>.
    /// </summary>
    static Tensor SumKeep(Tensor x, bool[] reduce, int[] finalShape)
    {
        var runs = new List<(int start, int end)>();
        for (int end = reduce.Length - 1; end >= 0; end--)
        {
            if (!reduce[end]) continue;
            int start = end;
            while (start > 0 && reduce[start - 1]) start--;
            runs.Add((start, end));
            end = start;
        }
        if (runs.Count == 0)
        {
            var copy = Tensor.Empty(x.Device, finalShape);
            copy.CopyFrom(x);
            return copy;
        }
        var shape = (int[])x.Shape.Clone();
        Tensor current = x;
        for (int k = 0; k < runs.Count; k++)
        {
            var (start, end) = runs[k];
            int outer = Shapes.Product(shape.AsSpan(0, start));
            int r = Shapes.Product(shape.AsSpan(start, end - start + 1));
            int inner = Shapes.Product(shape.AsSpan(end + 1));
            for (int i = start; i <= end; i++) shape[i] = 1;
            var next = Tensor.Empty(x.Device, k == runs.Count - 1 ? finalShape : shape);
            ReduceMiddle(x.Device, current.View, next.View, outer, r, inner);
            if (k > 0) current.Dispose();
            current = next;
        }
        return current;
    }

    /// <summary>
    /// y (outer, inner) = Σ_k x (outer, r, inner): the engine's one reduction (a column sum is outer = 1), deterministic
    /// (each output sums its r terms in order, on the host and in the kernel alike). x and y are views of at least
    /// outer·r·inner and outer·inner floats.
    /// </summary>
    internal static void ReduceMiddle(Device device, ArrayView<float> x, ArrayView<float> y, int outer, int r, int inner)
    {
        if (!device.UseHostLoops)
        {
            device.Launch(SumKernels.ReduceMiddle, (long)outer * inner, outer, r, inner, x, y);
            return;
        }
        device.SyncBeforeHostAccess();
        if (inner == 1)
        {
            HostLoops.ForRows(outer, r, (s, n) =>
            {
                var xs = device.HostSpan(x); var ys = device.HostSpan(y);
                for (int o = s; o < s + n; o++) ys[o] = TensorPrimitives.Sum(xs.Slice(o * r, r));
            });
            return;
        }
        // accumulate rows; split across outer when there are several, else across column chunks
        if (outer > 1)
            HostLoops.ForRows(outer, r * inner, (s, n) =>
            {
                for (int o = s; o < s + n; o++) AccumulateRows(device.HostSpan(x), device.HostSpan(y), o, r, inner, 0, inner);
            });
        else
        {
            int chunks = (int)Math.Clamp((long)r * inner / (1 << 15), 1, Math.Min(Environment.ProcessorCount, inner));
            Parallel.For(0, chunks, c =>
            {
                int c0 = (int)((long)c * inner / chunks), c1 = (int)((long)(c + 1) * inner / chunks);
                AccumulateRows(device.HostSpan(x), device.HostSpan(y), 0, r, inner, c0, c1 - c0);
            });
        }
    }

    static void AccumulateRows(Span<float> x, Span<float> y, int o, int r, int inner, int c0, int width)
    {
        var dst = y.Slice(o * inner + c0, width);
        x.Slice(o * r * inner + c0, width).CopyTo(dst);
        for (int k = 1; k < r; k++) TensorPrimitives.Add(dst, x.Slice((o * r + k) * inner + c0, width), dst);
    }
}

public static class SumKernels
{
    /// <summary>y[o, j] = Σ_k x[o, k, j]. x is (outer, r, inner), y is (outer, inner).</summary>
    [Kernel]
    public static void ReduceMiddle(int outer, int r, int inner, ArrayView<float> x, ArrayView<float> y)
    {
        int n = outer * inner;
        for (int i = GridStride.Start; i < n; i += GridStride.Step)
        {
            int o = i / inner, j = i - o * inner;
            int baseIndex = o * r * inner + j;
            float sum = 0f;
            for (int k = 0; k < r; k++) sum += x[baseIndex + k * inner];
            y[i] = sum;
        }
    }
}
