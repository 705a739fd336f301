using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Ops;

public class Conv2dTests(DeviceSpec spec) : DeviceTest(spec)
{
    const string Fixture = "jepa-ops.safetensors";

    // (B, C, H, W, O, KH, KW, SH, SW, PH, PW): the stem's 3×3/2/1, a non-square kernel, strides that skip pixels, 1×1
    [TestCase(2, 3, 9, 8, 4, 3, 3, 2, 2, 1, 1)]
    [TestCase(1, 2, 5, 6, 3, 3, 2, 1, 2, 0, 1)]
    [TestCase(2, 2, 7, 7, 3, 2, 2, 3, 3, 0, 0)]
    [TestCase(3, 4, 4, 4, 5, 1, 1, 1, 1, 0, 0)]
    [TestCase(1, 1, 3, 3, 2, 3, 3, 1, 1, 2, 2)]
    public void ForwardAndBackwardMatchReference(int B, int C, int H, int W, int O, int KH, int KW, int SH, int SW, int PH, int PW)
    {
        var g = new ConvGeometry(C, H, W, KH, KW, SH, SW, PH, PW);
        var x = Rand.Floats(B * C * H * W, 0, 1, 1);
        var w = Rand.Floats(O * g.K, -0.5, 0.5, 2);
        var b = Rand.Floats(O, -0.5, 0.5, 3);
        var dy = Rand.Floats(B * O * g.L, -1, 1, 4);
        var (xt, wt, bt) = (Leaf(x, B, C, H, W), Leaf(w, O, C, KH, KW), Leaf(b, O));
        var y = Learning.Ops.Conv2d(xt, wt, bt, (SH, SW), (PH, PW));
        Assert.That(y.Shape, Is.EqualTo(new[] { B, O, g.OutH, g.OutW }));
        Check.Close(y, Conv2dReference.Forward(x, w, b, B, O, g), 1e-5, 1e-5, "conv2d forward");
        var grads = Autograd.Grad([y], [xt, wt, bt], [T(dy, B, O, g.OutH, g.OutW)]);
        var (dx, dw, db) = Conv2dReference.Backward(dy, x, w, B, O, g);
        Check.Close(grads[0]!, dx, 1e-5, 1e-4, "conv2d dx");
        Check.Close(grads[1]!, dw, 1e-5, 1e-4, "conv2d dweight");
        Check.Close(grads[2]!, db, 1e-5, 1e-4, "conv2d dbias");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        var g = new ConvGeometry(2, 5, 4, 3, 2, 2, 1, 1, 1);
        GradCheck.Check(i => Conv2dReference.Forward(i[0], i[1], i[2], 2, 3, g),
            (i, dy) => { var (dx, dw, db) = Conv2dReference.Backward(dy, i[0], i[1], 2, 3, g); return [dx, dw, db]; },
            [Rand.Uniform(2 * 2 * 5 * 4, 0, 1, 5), Rand.Uniform(3 * g.K, -1, 1, 6), Rand.Uniform(3, -1, 1, 7)], "conv2d");
    }

    [TestCase("conv0")]
    [TestCase("conv1")]
    public void MatchesPyTorch(string name)
    {
        var geometry = Fixtures.Load(Fixture).Metadata[name].Split(' ').Select(int.Parse).ToArray();
        Tensor Load(string part, bool leaf = false)
        {
            var t = Tensor.FromArray(Device, Fixtures.Values(Fixture, $"{name}.{part}").Select(v => (float)v).ToArray(), Fixtures.Shape(Fixture, $"{name}.{part}"));
            t.RequiresGrad = leaf;
            return t;
        }
        var (x, w, b) = (Load("x", true), Load("weight", true), Load("bias", true));
        var y = Learning.Ops.Conv2d(x, w, b, (geometry[0], geometry[1]), (geometry[2], geometry[3]));
        Check.Close(y, Fixtures.Values(Fixture, $"{name}.y"), 1e-5, 1e-4, $"{name} vs PyTorch");
        var grads = Autograd.Grad([y], [x, w, b], [Load("dy")]);
        Check.Close(grads[0]!, Fixtures.Values(Fixture, $"{name}.dx"), 1e-5, 1e-4, $"{name} dx vs PyTorch");
        Check.Close(grads[1]!, Fixtures.Values(Fixture, $"{name}.dweight"), 1e-5, 1e-4, $"{name} dweight vs PyTorch");
        Check.Close(grads[2]!, Fixtures.Values(Fixture, $"{name}.dbias"), 1e-5, 1e-4, $"{name} dbias vs PyTorch");
    }

    [Test]
    public void BadShapesAndGeometriesAreRejected()
    {
        Tensor Z(params int[] shape) => Tensor.Zeros(Device, shape);
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Conv2d(Z(1, 3, 8, 8), Z(4, 2, 3, 3), Z(4), (1, 1), (0, 0)))!.Message,
            Does.Contain("conv2d").And.Contain("[1, 3, 8, 8]").And.Contain("[4, 2, 3, 3]"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Conv2d(Z(1, 1, 2, 2), Z(1, 1, 3, 3), Z(1), (1, 1), (0, 0)))!.Message,
            Does.Contain("smaller than the 3×3 kernel"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Conv2d(Z(1, 1, 4, 4), Z(1, 1, 3, 3), Z(1), (0, 1), (0, 0)))!.Message,
            Does.Contain("stride (0, 1)"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Conv2d(Z(1, 1, 4, 4), Z(1, 1, 3, 3), Z(1), (1, 1), (-1, 0)))!.Message,
            Does.Contain("padding (-1, 0)"));
    }
}
