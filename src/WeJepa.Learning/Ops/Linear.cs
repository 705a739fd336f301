namespace WeJepa.Learning;

public static partial class Ops
{
    /// <summary>
    /// PyTorch's nn.Linear: y = x·Wᵀ + b. x is (..., in), weight (out, in), bias (out) or null; y is (..., out).
    /// Forward is one GEMM accumulating onto the broadcast bias; backward is built from MatMul and Sum
    /// (so it can be differentiated again).
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null)
    {
        if (x.Rank < 1 || weight.Rank != 2 || x.Shape[^1] != weight.Shape[1] || (bias is not null && (bias.Rank != 1 || bias.Shape[0] != weight.Shape[0])))
            throw new ShapeError($"linear: input {Shapes.Format(x.Shape)}, weight {Shapes.Format(weight.Shape)}, bias {(bias is null ? "none" : Shapes.Format(bias.Shape))} (expected (..., in), (out, in), (out))");
        int inF = weight.Shape[1], outF = weight.Shape[0], rows = x.Length / Math.Max(1, inF);
        int[] shape = [.. x.Shape[..^1], outF];
        var y = Tensor.Empty(x.Device, shape);
        if (bias is not null) ExpandInto(bias, y); // the GEMM accumulates onto the broadcast bias (beta = 1)
        x.Device.Gemm(false, true, rows, outF, inF, 1f, x.View, inF, weight.View, inF, bias is null ? 0f : 1f, y.View, outF);

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Tape.Record("linear", y, inputs, (g, needs) =>
        {
            var g2 = Reshape(g, rows, outF);
            var dx = needs[0] ? Reshape(MatMul(g2, weight), x.Shape) : null;
            var dw = needs[1] ? MatMul(g2, Reshape(x, rows, inF), transA: true) : null;
            var db = bias is not null && needs[2] ? Sum(g2, 0) : null;
            return bias is null ? [dx, dw] : [dx, dw, db];
        }, x, weight);
    }
}
