using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

/// <summary>ReLU: kernel and host path against the reference, finite differences away from the kink; PyTorch parity through the V-JEPA fixture.</summary>
public class ReluTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void ForwardAndBackwardMatchReference()
    {
        var x = Rand.Floats(70001, -3, 3, 21);
        x[0] = 0;   // PyTorch's gradient at the kink is 0
        var g = Rand.Floats(70001, -1, 1, 22);
        var xt = Leaf(x, 70001);
        var y = Learning.Ops.Relu(xt);
        Check.Close(y, ReluReference.Forward(x), 0, 0, "relu forward");
        var dx = Autograd.Grad(y, xt, T(g, 70001));
        Check.Close(dx, ReluReference.Backward(x, g), 0, 0, "relu backward");
        Assert.That(dx.ToArray()[0], Is.EqualTo(0f));
    }

    [Test]
    public void ReferenceGradientMatchesFiniteDifferences()
        => GradCheck.Check(i => ReluReference.Forward(i[0]), (i, g) => [ReluReference.Backward(i[0], g)],
            [Rand.Uniform(16, -2, 2, 23).Select(v => Math.Abs(v) < 0.01 ? v + 0.1 : v).ToArray()], "relu");
}
