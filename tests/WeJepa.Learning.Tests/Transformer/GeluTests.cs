using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

public class GeluTests(DeviceSpec spec) : DeviceTest(spec)
{
    [TestCase(GeluApproximation.None)]
    [TestCase(GeluApproximation.Tanh)]
    public void ForwardAndBackwardMatchReference(GeluApproximation form)
    {
        var x = Rand.Floats(1003, -7, 7, 1).Concat([0, -0.0, 1e-8, -1e-8, 30, -30, 1e4, -1e4]).ToArray();
        var g = Rand.Floats(x.Length, -1, 1, 2);
        var xt = Leaf(x, x.Length);
        var y = Learning.Ops.Gelu(xt, form);
        Check.Close(y, GeluReference.Forward(x, form), 2e-7, 2e-6, $"gelu {form} forward");
        Check.Close(Autograd.Grad(y, xt, T(g, x.Length)), GeluReference.Backward(x, g, form), 2e-7, 2e-6, $"gelu {form} backward");
    }

    [TestCase(GeluApproximation.None)]
    [TestCase(GeluApproximation.Tanh)]
    public void ReferenceGradientsMatchFiniteDifferences(GeluApproximation form)
        => GradCheck.Check(i => GeluReference.Forward(i[0], form), (i, g) => [GeluReference.Backward(i[0], g, form)],
            [Rand.Uniform(40, -5, 5, 3)], $"gelu {form}");

    [TestCase(GeluApproximation.None, "none")]
    [TestCase(GeluApproximation.Tanh, "tanh")]
    public void MatchesPyTorch(GeluApproximation form, string name)
    {
        var x = Load(Device, $"gelu_{name}.x", true);
        var y = Learning.Ops.Gelu(x, form);
        Check.Close(y, Values($"gelu_{name}.y"), 1e-6, 1e-5, $"gelu {name} vs PyTorch");
        Check.Close(Autograd.Grad(y, x, Load(Device, $"gelu_{name}.dy")), Values($"gelu_{name}.dx"), 1e-6, 1e-5, $"gelu {name} dx vs PyTorch");
    }
}
