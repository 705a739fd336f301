namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Mean(Tensor, int[], bool)"/> (keepDims shape).</summary>
public static class MeanReference
{
    public static double[] Forward(double[] x, int[] shape, int[] axes)
    {
        double count = axes.Aggregate(1.0, (c, a) => c * shape[a]);
        return SumReference.Forward(x, shape, axes).Select(v => v / count).ToArray();
    }

    public static double[] Backward(double[] g, int[] shape, int[] axes)
    {
        double count = axes.Aggregate(1.0, (c, a) => c * shape[a]);
        return SumReference.Backward(g, shape, axes).Select(v => v / count).ToArray();
    }
}
