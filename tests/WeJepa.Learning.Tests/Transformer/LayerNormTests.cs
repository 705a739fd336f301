using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

public class LayerNormTests(DeviceSpec spec) : DeviceTest(spec)
{
    [TestCase(13, 37)]
    [TestCase(300, 20)] // several row chunks (uneven) in the kernel path's parameter gradients
    public void ForwardAndBackwardMatchReference(int rows, int cols)
    {
        var x = Rand.Floats(rows * cols, -3, 5, 1);
        var w = Rand.Floats(cols, 0.5, 1.5, 2);
        var b = Rand.Floats(cols, -0.5, 0.5, 3);
        var g = Rand.Floats(rows * cols, -1, 1, 4);
        var (xt, wt, bt) = (Leaf(x, rows, cols), Leaf(w, cols), Leaf(b, cols));
        var y = Learning.Ops.LayerNorm(xt, wt, bt, 1e-5f);
        Check.Close(y, LayerNormReference.Forward(x, w, b, rows, cols, 1e-5, out var mean, out var rstd), 1e-5, 1e-5, "layernorm forward");
        var grads = Autograd.Grad([y], [xt, wt, bt], [T(g, rows, cols)]);
        var (dx, dw, db) = LayerNormReference.Backward(g, x, w, mean, rstd, rows, cols);
        Check.Close(grads[0]!, dx, 1e-5, 1e-4, "layernorm dx");
        Check.Close(grads[1]!, dw, 1e-5, 1e-4, "layernorm dweight");
        Check.Close(grads[2]!, db, 1e-5, 1e-4, "layernorm dbias");
    }

    [Test]
    public void LeadingAxesAreRows()
    {
        var x = Rand.Floats(2 * 3 * 8, -1, 1, 5);
        var w = Rand.Floats(8, 0.5, 1.5, 6);
        var b = Rand.Floats(8, -0.5, 0.5, 7);
        var y = Learning.Ops.LayerNorm(T(x, 2, 3, 8), T(w, 8), T(b, 8));
        Assert.That(y.Shape, Is.EqualTo(new[] { 2, 3, 8 }));
        Check.Close(y, LayerNormReference.Forward(x, w, b, 6, 8, 1e-5, out _, out _), 1e-5, 1e-5, "layernorm (2,3,8)");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
        => GradCheck.Check(i => LayerNormReference.Forward(i[0], i[1], i[2], 3, 6, 1e-5, out _, out _),
            (i, g) =>
            {
                LayerNormReference.Forward(i[0], i[1], i[2], 3, 6, 1e-5, out var mean, out var rstd);
                var (dx, dw, db) = LayerNormReference.Backward(g, i[0], i[1], mean, rstd, 3, 6);
                return [dx, dw, db];
            },
            [Rand.Uniform(18, -2, 2, 8), Rand.Uniform(6, 0.5, 1.5, 9), Rand.Uniform(6, -1, 1, 10)], "layernorm");

    [Test]
    public void MatchesPyTorch()
    {
        var (x, w, b) = (Load(Device, "layernorm.x", true), Load(Device, "layernorm.weight", true), Load(Device, "layernorm.bias", true));
        var y = Learning.Ops.LayerNorm(x, w, b, 1e-5f);
        Check.Close(y, Values("layernorm.y"), 1e-5, 1e-4, "layernorm vs PyTorch");
        var grads = Autograd.Grad([y], [x, w, b], [Load(Device, "layernorm.dy")]);
        Check.Close(grads[0]!, Values("layernorm.dx"), 1e-5, 1e-4, "layernorm dx vs PyTorch");
        Check.Close(grads[1]!, Values("layernorm.dweight"), 1e-5, 1e-4, "layernorm dweight vs PyTorch");
        Check.Close(grads[2]!, Values("layernorm.dbias"), 1e-5, 1e-4, "layernorm dbias vs PyTorch");
    }

    [Test]
    public void ParameterShapeMismatchNamesOpAndShapes()
    {
        var e = Assert.Throws<ShapeError>(() => Learning.Ops.LayerNorm(Tensor.Zeros(Device, 4, 6), Tensor.Zeros(Device, 5), Tensor.Zeros(Device, 6)));
        Assert.That(e!.Message, Does.Contain("layernorm").And.Contain("[4, 6]").And.Contain("[5]"));
    }
}
