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
