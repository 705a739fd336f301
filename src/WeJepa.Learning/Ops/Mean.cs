namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>Mean of every element: a rank-0 tensor.</summary>
    public static Tensor Mean(Tensor x) => Mul(Sum(x), 1f / Math.Max(1, x.Length));

    /// <summary>Mean over <paramref name="axes"/>: Sum scaled by 1/count (so its backward is Sum's, differentiable).</summary>
    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false)
    {
        long count = 1;
        foreach (var axis in axes.Select(a => Shapes.Axis("mean", a, x.Rank)).Distinct()) count *= x.Shape[axis];
        return Mul(Sum(x, axes, keepDims), 1f / Math.Max(1, count));
    }

    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Mean(x, [axis], keepDims);
}
