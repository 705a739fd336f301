namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Sum(Tensor, int[], bool)"/> (keepDims shape).</summary>
public static class SumReference
{
    public static double[] Forward(double[] x, int[] shape, int[] axes)
    {
        var kept = shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        return BroadcastReference.SumTo(x, shape, kept);
    }

    public static double[] Backward(double[] g, int[] shape, int[] axes)
    {
        var kept = shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var result = new double[Shapes.Product(shape)];
        for (int i = 0; i < result.Length; i++) result[i] = g[BroadcastReference.Source(i, shape, kept)];
        return result;
    }
}
