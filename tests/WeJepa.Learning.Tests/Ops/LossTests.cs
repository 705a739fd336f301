using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

public class LossTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void MseMatchesReference()
    {
        var p = Rand.Floats(3001, -2, 2, 1); var t = Rand.Floats(3001, -2, 2, 2);
        var (pt, tt) = (Leaf(p, 3001), Leaf(t, 3001));
        var loss = Learning.Ops.MseLoss(pt, tt);
        Assert.That(loss.Shape, Is.Empty);
        Check.Close(loss, [MseLossReference.Forward(p, t)], 1e-5, 1e-5, "mse forward");
        var grads = Autograd.Grad([loss], [pt, tt], [T([0.7], [])]);
        var (dp, dt) = MseLossReference.Backward(p, t, 0.7);
        Check.Close(grads[0]!, dp, 1e-7, 1e-5, "mse dp");
        Check.Close(grads[1]!, dt, 1e-7, 1e-5, "mse dt");
    }

    [TestCase(1.0)]
    [TestCase(0.25)]
    public void SmoothL1MatchesReference(double beta)
    {
        var p = Rand.Floats(3001, -2, 2, 3); var t = Rand.Floats(3001, -2, 2, 4);
        var (pt, tt) = (Leaf(p, 3001), Leaf(t, 3001));
        var loss = Learning.Ops.SmoothL1Loss(pt, tt, (float)beta);
        Check.Close(loss, [SmoothL1LossReference.Forward(p, t, beta)], 1e-5, 1e-5, "smooth_l1 forward");
        var grads = Autograd.Grad([loss], [pt, tt], [T([1.3], [])]);
        var dp = SmoothL1LossReference.Backward(p, t, beta, 1.3);
        Check.Close(grads[0]!, dp, 1e-7, 1e-5, "smooth_l1 dp");
        Check.Close(grads[1]!, dp.Select(v => -v).ToArray(), 1e-7, 1e-5, "smooth_l1 dt");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        GradCheck.Check(i => [MseLossReference.Forward(i[0], i[1])], (i, g) => { var (a, b) = MseLossReference.Backward(i[0], i[1], g[0]); return [a, b]; },
            [Rand.Uniform(8, -1, 1, 5), Rand.Uniform(8, -1, 1, 6)], "mse");
        // keep |p − t| away from the kink at β, where the derivative is continuous but FD straddles branches
        var p = new double[] { 0.1, -0.3, 1.5, -2.0, 0.05, 0.9 };
        var t = new double[] { 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
        GradCheck.Check(i => [SmoothL1LossReference.Forward(i[0], i[1], 0.5)],
            (i, g) => { var d = SmoothL1LossReference.Backward(i[0], i[1], 0.5, g[0]); return [d, d.Select(v => -v).ToArray()]; }, [p, t], "smooth_l1");
    }

    [Test]
    public void MseMatchesPyTorch() => TorchParity.Check(Device, "mse", ["p", "t"], t => Learning.Ops.MseLoss(t[0], t[1]));

    [Test]
    public void SmoothL1MatchesPyTorch() => TorchParity.Check(Device, "smooth_l1", ["p", "t"], t => Learning.Ops.SmoothL1Loss(t[0], t[1], 0.5f));

    [Test]
    public void SmoothL1RefusesSecondOrder()
    {
        var p = Leaf([0.5, -1], 2);
        var loss = Learning.Ops.SmoothL1Loss(p, T([0, 0], 2));
        Assert.Throws<NotSupportedException>(() => Autograd.Grad([loss], [p], createGraph: true));
    }

    [Test]
    public void MismatchedShapesNameTheLoss()
        => Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.MseLoss(Tensor.Zeros(Device, 3), Tensor.Zeros(Device, 4)))!.Message,
            Does.Contain("mse_loss").And.Contain("[3]").And.Contain("[4]"));
}
