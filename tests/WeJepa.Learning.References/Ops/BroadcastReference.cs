namespace WeJepa.Learning;

/// <summary>Double-precision NumPy broadcasting for the references of Add, Sub, Mul, Div (the spec the kernels are tested against).</summary>
public static class BroadcastReference
{
    /// <summary>out[i] = f(a[·], b[·]) over the broadcast shape.</summary>
    public static (double[] values, int[] shape) Map(double[] a, int[] sa, double[] b, int[] sb, Func<double, double, double> f)
    {
        var shape = Shapes.Broadcast("reference", sa, sb);
        var result = new double[Shapes.Product(shape)];
        for (int i = 0; i < result.Length; i++) result[i] = f(a[Source(i, shape, sa)], b[Source(i, shape, sb)]);
        return (result, shape);
    }

    /// <summary>Sums a gradient of the broadcast shape back onto a source of shape <paramref name="source"/>.</summary>
    public static double[] SumTo(double[] grad, int[] shape, int[] source)
    {
        var result = new double[Shapes.Product(source)];
        for (int i = 0; i < grad.Length; i++) result[Source(i, shape, source)] += grad[i];
        return result;
    }

    /// <summary>Linear index into a source of shape <paramref name="source"/> for output element <paramref name="i"/>.</summary>
    public static int Source(int i, int[] shape, int[] source)
    {
        int index = 0, stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            int c = i % shape[d];
            i /= shape[d];
            int k = d - (shape.Length - source.Length);
            if (k < 0) continue;
            if (source[k] != 1) index += c * stride;
            stride *= source[k];
        }
        return index;
    }
}
