namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Slice"/> and <see cref="Ops.Pad"/>.</summary>
public static class SliceReference
{
    public static double[] Forward(double[] x, int[] shape, int axis, int start, int length)
    {
        int outer = Shapes.Product(shape.AsSpan(0, axis)), inner = Shapes.Product(shape.AsSpan(axis + 1));
        var y = new double[outer * length * inner];
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < length; k++)
                for (int j = 0; j < inner; j++)
                    y[(o * length + k) * inner + j] = x[(o * shape[axis] + start + k) * inner + j];
        return y;
    }

    /// <summary>The gradient of a slice: g placed back, zeros elsewhere (= Pad).</summary>
    public static double[] Backward(double[] g, int[] shape, int axis, int start, int length)
    {
        int outer = Shapes.Product(shape.AsSpan(0, axis)), inner = Shapes.Product(shape.AsSpan(axis + 1));
        var dx = new double[Shapes.Product(shape)];
        for (int o = 0; o < outer; o++)
            for (int k = 0; k < length; k++)
                for (int j = 0; j < inner; j++)
                    dx[(o * shape[axis] + start + k) * inner + j] = g[(o * length + k) * inner + j];
        return dx;
    }
}
