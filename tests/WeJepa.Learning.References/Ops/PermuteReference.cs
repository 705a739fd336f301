namespace WeJepa.Learning;

/// <summary>Double-precision reference of <see cref="Ops.Permute"/>.</summary>
public static class PermuteReference
{
    public static double[] Forward(double[] x, int[] shape, int[] perm)
    {
        var outShape = perm.Select(p => shape[p]).ToArray();
        var y = new double[x.Length];
        var index = new int[shape.Length];
        for (int i = 0; i < y.Length; i++)
        {
            for (int d = outShape.Length - 1, r = i; d >= 0; r /= outShape[d], d--) index[perm[d]] = r % outShape[d];
            int source = 0;
            for (int d = 0; d < shape.Length; d++) source = source * shape[d] + index[d];
            y[i] = x[source];
        }
        return y;
    }

    public static double[] Backward(double[] g, int[] shape, int[] perm)
    {
        var inverse = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inverse[perm[i]] = i;
        return Forward(g, perm.Select(p => shape[p]).ToArray(), inverse);
    }
}
