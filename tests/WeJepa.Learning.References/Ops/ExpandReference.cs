namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Expand"/>.</summary>
public static class ExpandReference
{
    public static double[] Forward(double[] x, int[] sx, int[] shape)
        => Enumerable.Range(0, Shapes.Product(shape)).Select(i => x[BroadcastReference.Source(i, shape, sx)]).ToArray();

    public static double[] Backward(double[] g, int[] shape, int[] sx) => BroadcastReference.SumTo(g, shape, sx);
}
