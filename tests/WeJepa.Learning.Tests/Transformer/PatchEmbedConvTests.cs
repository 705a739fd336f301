using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

public class PatchEmbedConvTests(DeviceSpec spec) : DeviceTest(spec)
{
    // H and W not multiples of p: PyTorch ignores the remainder, and so must the gradient
    [TestCase(2, 3, 10, 9, 5, 4)]
    [TestCase(1, 1, 8, 8, 7, 2)]
    [TestCase(3, 2, 6, 6, 4, 3)]
    public void ForwardAndBackwardMatchReference(int B, int C, int Hi, int Wi, int D, int p)
    {
        var x = Rand.Floats(B * C * Hi * Wi, 0, 1, 1);
        var w = Rand.Floats(D * C * p * p, -0.5, 0.5, 2);
        var b = Rand.Floats(D, -0.5, 0.5, 3);
        int N = Hi / p * (Wi / p);
        var g = Rand.Floats(B * N * D, -1, 1, 4);
        var (xt, wt, bt) = (Leaf(x, B, C, Hi, Wi), Leaf(w, D, C, p, p), Leaf(b, D));
        var y = Learning.Ops.PatchEmbedConv(xt, wt, bt);
        Assert.That(y.Shape, Is.EqualTo(new[] { B, N, D }));
        Check.Close(y, PatchEmbedConvReference.Forward(x, w, b, B, C, Hi, Wi, D, p), 1e-5, 1e-5, "patch_embed forward");
        var grads = Autograd.Grad([y], [xt, wt, bt], [T(g, B, N, D)]);
        var (dx, dw, db) = PatchEmbedConvReference.Backward(g, x, w, B, C, Hi, Wi, D, p);
        Check.Close(grads[0]!, dx, 1e-5, 1e-4, "patch_embed dx");
        Check.Close(grads[1]!, dw, 1e-5, 1e-4, "patch_embed dweight");
        Check.Close(grads[2]!, db, 1e-5, 1e-4, "patch_embed dbias");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
        => GradCheck.Check(i => PatchEmbedConvReference.Forward(i[0], i[1], i[2], 2, 2, 5, 4, 3, 2),
            (i, g) => { var (dx, dw, db) = PatchEmbedConvReference.Backward(g, i[0], i[1], 2, 2, 5, 4, 3, 2); return [dx, dw, db]; },
            [Rand.Uniform(2 * 2 * 5 * 4, 0, 1, 5), Rand.Uniform(3 * 2 * 2 * 2, -1, 1, 6), Rand.Uniform(3, -1, 1, 7)], "patch_embed");

    [Test]
    public void MatchesPyTorch()
    {
        var (x, w, b) = (Load(Device, "patch.x", true), Load(Device, "patch.weight", true), Load(Device, "patch.bias", true));
        var y = Learning.Ops.PatchEmbedConv(x, w, b);
        Check.Close(y, Values("patch.y"), 1e-5, 1e-4, "patch_embed vs PyTorch");
        var grads = Autograd.Grad([y], [x, w, b], [Load(Device, "patch.dy")]);
        Check.Close(grads[0]!, Values("patch.dx"), 1e-5, 1e-4, "patch_embed dx vs PyTorch");
        Check.Close(grads[1]!, Values("patch.dweight"), 1e-5, 1e-4, "patch_embed dweight vs PyTorch");
        Check.Close(grads[2]!, Values("patch.dbias"), 1e-5, 1e-4, "patch_embed dbias vs PyTorch");
    }

    [Test]
    public void BadShapesAreRejected()
    {
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.PatchEmbedConv(Tensor.Zeros(Device, 1, 3, 8, 8), Tensor.Zeros(Device, 4, 2, 4, 4), Tensor.Zeros(Device, 4)))!.Message,
            Does.Contain("patch_embed").And.Contain("[1, 3, 8, 8]").And.Contain("[4, 2, 4, 4]"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.PatchEmbedConv(Tensor.Zeros(Device, 1, 1, 3, 8), Tensor.Zeros(Device, 4, 1, 4, 4), Tensor.Zeros(Device, 4)))!.Message,
            Does.Contain("smaller than one 4×4 patch"));
    }
}
