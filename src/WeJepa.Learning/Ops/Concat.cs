namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>Joins tensors along <paramref name="axis"/> (all other dims equal). Backward: a slice per input.</summary>
    public static Tensor Concat(Tensor[] xs, int axis)
    {
        if (xs.Length == 0) throw new ShapeError("concat: no tensors");
        int a = Shapes.Axis("concat", axis, xs[0].Rank);
        var shape = (int[])xs[0].Shape.Clone();
        shape[a] = 0;
        foreach (var x in xs)
        {
            bool same = x.Rank == shape.Length;
            for (int i = 0; same && i < shape.Length; i++) same = i == a || x.Shape[i] == xs[0].Shape[i];
            if (!same) throw new ShapeError($"concat: shapes {string.Join(", ", xs.Select(t => Shapes.Format(t.Shape)))} differ outside axis {axis}");
            shape[a] += x.Shape[a];
        }
        var y = Tensor.Empty(xs[0].Device, shape);
        var starts = new int[xs.Length];
        for (int i = 0, at = 0; i < xs.Length; at += xs[i].Shape[a], i++)
        {
            starts[i] = at;
            CopyBlock(xs[i], y, a, 0, at, xs[i].Shape[a]);
        }
        return Tape.Record("concat", y, xs, (g, needs) =>
            xs.Select((x, i) => needs[i] ? Slice(g, a, starts[i], x.Shape[a]) : null).ToArray());
    }

    /// <summary>Splits along <paramref name="axis"/> into pieces of the given sizes (each a differentiable slice).</summary>
    public static Tensor[] Split(Tensor x, int axis, params int[] sizes)
    {
        int a = Shapes.Axis("split", axis, x.Rank);
        if (sizes.Sum() != x.Shape[a] || sizes.Any(s => s < 0))
            throw new ShapeError($"split: sizes [{string.Join(", ", sizes)}] do not add up to axis {axis} of shape {Shapes.Format(x.Shape)}");
        var result = new Tensor[sizes.Length];
        for (int i = 0, at = 0; i < sizes.Length; at += sizes[i], i++) result[i] = Slice(x, a, at, sizes[i]);
        return result;
    }
}
