using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

public class SoftmaxTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void ForwardAndBackwardMatchReference()
    {
        const int rows = 37, cols = 29; // not a multiple of the SIMD width
        var x = Rand.Floats(rows * cols, -8, 8, 1);
        var g = Rand.Floats(rows * cols, -1, 1, 2);
        var xt = Leaf(x, rows, cols);
        var y = Learning.Ops.Softmax(xt);
        var yRef = SoftmaxReference.Forward(x, rows, cols);
        Check.Close(y, yRef, 1e-7, 1e-5, "softmax forward");
        Check.Close(Autograd.Grad(y, xt, T(g, rows, cols)), SoftmaxReference.Backward(yRef, g, rows, cols), 1e-7, 1e-4, "softmax backward");
    }

    [Test]
    public void LargeLogitsStayFinite()
    {
        var x = new double[] { 1000, 999, -1000, 0, 88, 89 };
        Check.Close(Learning.Ops.Softmax(T(x, 2, 3)), SoftmaxReference.Forward(x, 2, 3), 1e-7, 1e-5, "softmax of large logits");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
        => GradCheck.Check(i => SoftmaxReference.Forward(i[0], 3, 5),
            (i, g) => [SoftmaxReference.Backward(SoftmaxReference.Forward(i[0], 3, 5), g, 3, 5)],
            [Rand.Uniform(15, -3, 3, 3)], "softmax");

    [Test]
    public void MatchesPyTorch()
    {
        var x = Load(Device, "softmax.x", requiresGrad: true);
        var y = Learning.Ops.Softmax(x);
        Check.Close(y, Values("softmax.y"), 1e-6, 1e-5, "softmax vs PyTorch");
        Check.Close(Autograd.Grad(y, x, Load(Device, "softmax.dy")), Values("softmax.dx"), 1e-6, 1e-4, "softmax dx vs PyTorch");
    }

    [Test]
    public void EmptyLastAxisIsRejected()
        => Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Softmax(Tensor.Zeros(Device, 3, 0)))!.Message, Does.Contain("softmax").And.Contain("[3, 0]"));
}
