using ILGPU;
using WeJepa.Learning.Devices;

namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>Swaps two axes (materialised, contiguous). Backward: the same swap.</summary>
    public static Tensor Transpose(Tensor x, int axis0, int axis1)
    {
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        int a = Shapes.Axis("transpose", axis0, x.Rank), b = Shapes.Axis("transpose", axis1, x.Rank);
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(x, perm);
    }

    /// <summary>y.Shape[i] = x.Shape[perm[i]] (rank ≤ 6), materialised. Backward: the inverse permutation.</summary>
    public static Tensor Permute(Tensor x, params int[] perm)
    {
        if (perm.Length != x.Rank || perm.Distinct().Count() != perm.Length || perm.Any(p => p < 0 || p >= x.Rank))
            throw new ShapeError($"permute: [{string.Join(", ", perm)}] is not a permutation of the axes of {Shapes.Format(x.Shape)}");
        if (x.Rank > 6) throw new ShapeError($"permute: rank {x.Rank} > 6 is not supported ({Shapes.Format(x.Shape)})");
        var shape = perm.Select(p => x.Shape[p]).ToArray();
        var strides = new int[x.Rank];
        for (int i = x.Rank - 1, s = 1; i >= 0; s *= x.Shape[i], i--) strides[i] = s;
        var map = PermuteMap.Create(shape, perm.Select(p => strides[p]).ToArray());
        var y = Tensor.Empty(x.Device, shape);
        var device = x.Device;
        if (device.UseHostLoops)
        {
            int inner = shape.Length == 0 ? 1 : shape[^1];
            int innerStride = shape.Length == 0 ? 1 : strides[perm[^1]];
            HostLoops.ForRows(y.Length / Math.Max(1, inner), inner, (s, n) =>
            {
                var xs = x.HostSpan; var ys = y.HostSpan;
                for (int r = s; r < s + n; r++)
                {
                    int source = map.Source(r * inner);
                    var row = ys.Slice(r * inner, inner);
                    if (innerStride == 1) xs.Slice(source, inner).CopyTo(row);
                    else for (int j = 0; j < inner; j++) row[j] = xs[source + j * innerStride];
                }
            });
        }
        else device.Launch(TransposeKernels.Permute, y.Length, y.Length, map, x.View, y.View);
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Tape.Record("permute", y, [x], (g, _) => [Permute(g, inverse)]);
    }
}

/// <summary>Output dims (padded to rank 6 with leading 1s) and the input stride of each output axis.</summary>
public struct PermuteMap
{
    public int D0, D1, D2, D3, D4, D5;
    public int S0, S1, S2, S3, S4, S5;

    public readonly int Source(int i)
    {
        int c5 = i % D5; i /= D5;
        int c4 = i % D4; i /= D4;
        int c3 = i % D3; i /= D3;
        int c2 = i % D2; i /= D2;
        int c1 = i % D1; int c0 = i / D1;
        return c0 * S0 + c1 * S1 + c2 * S2 + c3 * S3 + c4 * S4 + c5 * S5;
    }

    public static PermuteMap Create(int[] shape, int[] strides)
    {
        var d = new int[6]; var s = new int[6];
        Array.Fill(d, 1);
        int pad = 6 - shape.Length;
        for (int i = 0; i < shape.Length; i++) { d[pad + i] = shape[i]; s[pad + i] = strides[i]; }
        return new PermuteMap { D0 = d[0], D1 = d[1], D2 = d[2], D3 = d[3], D4 = d[4], D5 = d[5], S0 = s[0], S1 = s[1], S2 = s[2], S3 = s[3], S4 = s[4], S5 = s[5] };
    }
}

public static class TransposeKernels
{
    /// <summary>y[i] = x[map.Source(i)]. y is (n) in the permuted shape.</summary>
    [Kernel]
    public static void Permute(int n, PermuteMap map, ArrayView<float> x, ArrayView<float> y)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) y[i] = x[map.Source(i)];
    }
}
