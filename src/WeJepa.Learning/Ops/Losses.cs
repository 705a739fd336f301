namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>mean((prediction − target)²), PyTorch's mse_loss; built from differentiable ops.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target)
    {
        if (!Shapes.Equal(prediction.Shape, target.Shape))
            throw new ShapeError($"mse_loss: prediction {Shapes.Format(prediction.Shape)} and target {Shapes.Format(target.Shape)} differ");
        return Mean(Square(Sub(prediction, target)));
    }
}

/// <summary>Double-precision reference of <see cref="Ops.MseLoss"/>.</summary>
public static class MseLossReference
{
    public static double Forward(double[] p, double[] t) => p.Select((v, i) => (v - t[i]) * (v - t[i])).Average();
    public static (double[] dp, double[] dt) Backward(double[] p, double[] t, double g)
    {
        var dp = p.Select((v, i) => g * 2 * (v - t[i]) / p.Length).ToArray();
        return (dp, dp.Select(v => -v).ToArray());
    }
}
