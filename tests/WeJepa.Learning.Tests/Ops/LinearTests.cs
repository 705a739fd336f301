using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

public class LinearTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void ForwardAndBackwardMatchReference()
    {
        const int rows = 37, inF = 13, outF = 9;
        var x = Rand.Floats(rows * inF, -1, 1, 1);
        var w = Rand.Floats(outF * inF, -1, 1, 2);
        var b = Rand.Floats(outF, -1, 1, 3);
        var g = Rand.Floats(rows * outF, -1, 1, 4);
        var (xt, wt, bt) = (Leaf(x, rows, inF), Leaf(w, outF, inF), Leaf(b, outF));
        var y = Learning.Ops.Linear(xt, wt, bt);
        Check.Close(y, LinearReference.Forward(x, w, b, rows, inF, outF), 1e-5, 1e-5, "linear forward");
        var grads = Autograd.Grad([y], [xt, wt, bt], [T(g, rows, outF)]);
        var (dx, dw, db) = LinearReference.Backward(x, w, g, rows, inF, outF);
        Check.Close(grads[0]!, dx, 1e-5, 1e-5, "linear dx");
        Check.Close(grads[1]!, dw, 1e-5, 1e-5, "linear dw");
        Check.Close(grads[2]!, db, 1e-5, 1e-5, "linear db");
    }

    [Test]
    public void WithoutBias()
    {
        var x = Rand.Floats(12, -1, 1, 1);
        var w = Rand.Floats(8, -1, 1, 2);
        Check.Close(Learning.Ops.Linear(T(x, 2, 3, 2), T(w, 4, 2)), LinearReference.Forward(x, w, null, 6, 2, 4), 1e-6, 1e-5, "linear no bias");
    }

    [Test]
    public void SingleVectorInputLeavesTheBiasAlone()
    {
        double[] x = [1, -2], w = [0.5, 0.25, -1, 2, 3, 0], b = [0.125, 0.25, -0.375];
        var bt = T(b, 3);
        var y = Learning.Ops.Linear(T(x, 2), T(w, 3, 2), bt);
        Assert.That(y.Shape, Is.EqualTo(new[] { 3 }));
        Check.Close(y, LinearReference.Forward(x, w, b, 1, 2, 3), 1e-6, 1e-6, "linear of a vector");
        Check.Close(bt, b, 0, 0, "bias unchanged by the GEMM accumulating onto it");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
        => GradCheck.Check(i => LinearReference.Forward(i[0], i[1], i[2], 3, 4, 2),
            (i, g) => { var (dx, dw, db) = LinearReference.Backward(i[0], i[1], g, 3, 4, 2); return [dx, dw, db]; },
            [Rand.Uniform(12, -1, 1, 5), Rand.Uniform(8, -1, 1, 6), Rand.Uniform(2, -1, 1, 7)], "linear");

    [Test]
    public void ShapeMismatchNamesOpAndShapes()
    {
        var e = Assert.Throws<ShapeError>(() => Learning.Ops.Linear(Tensor.Zeros(Device, 4, 3), Tensor.Zeros(Device, 5, 2)));
        Assert.That(e!.Message, Does.Contain("linear").And.Contain("[4, 3]").And.Contain("[5, 2]"));
    }

    [Test]
    public void MatchesPyTorch() => TorchParity.Check(Device, "linear", ["x", "w", "b"], t => Learning.Ops.Linear(t[0], t[1], t[2]));
}
