using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

/// <summary>The unary elementwise ops, one table: kernel/host path vs reference, gradcheck of the reference, PyTorch.</summary>
public class ElementwiseTests(DeviceSpec spec) : DeviceTest(spec)
{
    public sealed record Case(string Name, Func<Tensor, Tensor> Op, Func<double[], double[]> Forward, Func<double[], double[], double[]> Backward, double Low, double High)
    {
        public override string ToString() => Name;
    }

    public static readonly Case[] Cases =
    [
        new("exp", Learning.Ops.Exp, ExpReference.Forward, ExpReference.Backward, -3, 3),
        new("square", Learning.Ops.Square, SquareReference.Forward, SquareReference.Backward, -3, 3),
        new("sigmoid", Learning.Ops.Sigmoid, SigmoidReference.Forward, SigmoidReference.Backward, -6, 6),
        new("softplus", Learning.Ops.Softplus, SoftplusReference.Forward, SoftplusReference.Backward, -30, 30),
        new("sin", Learning.Ops.Sin, SinReference.Forward, SinReference.Backward, -4, 4),
        new("cos", Learning.Ops.Cos, CosReference.Forward, CosReference.Backward, -4, 4),
        new("affine", x => Learning.Ops.Affine(x, 0.75f, -1.5f), x => AffineReference.Forward(x, 0.75, -1.5), (_, g) => AffineReference.Backward(g, 0.75), -3, 3),
    ];

    [TestCaseSource(nameof(Cases))]
    public void ForwardAndBackwardMatchReference(Case c)
    {
        var x = Rand.Floats(70001, c.Low, c.High, seed: 11);
        var g = Rand.Floats(70001, -1, 1, seed: 12);
        var xt = Leaf(x, 70001);
        var y = c.Op(xt);
        Check.Close(y, c.Forward(x), 1e-6, 2e-6, $"{c.Name} forward");
        Check.Close(Autograd.Grad(y, xt, T(g, 70001)), c.Backward(x, g), 1e-6, 2e-6, $"{c.Name} backward");
    }

    [TestCaseSource(nameof(Cases))]
    public void ReferenceGradientMatchesFiniteDifferences(Case c)
        => GradCheck.Check(i => c.Forward(i[0]), (i, g) => [c.Backward(i[0], g)], [Rand.Uniform(16, c.Low / 3, c.High / 3, seed: 13)], c.Name);

    [TestCase("exp")]
    [TestCase("square")]
    [TestCase("softplus")]
    [TestCase("affine")]
    [TestCase("sin")]
    [TestCase("cos")]
    [TestCase("sigmoid")]
    public void MatchesPyTorch(string name)
        => TorchParity.Check(Device, name, ["x"], t => Cases.Single(c => c.Name == name).Op(t[0]));

    [Test]
    public void SoftplusGradIsDifferentiable()
    {
        var g = Rand.Floats(50, -1, 1, 1); var x = Rand.Floats(50, -4, 4, 2); var h = Rand.Floats(50, -1, 1, 3);
        var (gt, xt) = (Leaf(g, 50), Leaf(x, 50));
        var d = Learning.Ops.SoftplusGrad(gt, xt);
        Check.Close(d, SoftplusReference.Backward(x, g), 1e-6, 1e-5, "softplus_grad forward");
        var grads = Autograd.Grad([d], [gt, xt], [T(h, 50)]);
        var (dg, dx) = SoftplusReference.GradBackward(g, x, h);
        Check.Close(grads[0]!, dg, 1e-6, 1e-5, "softplus_grad d/dg");
        Check.Close(grads[1]!, dx, 1e-6, 1e-5, "softplus_grad d/dx");
        GradCheck.Check(i => SoftplusReference.Backward(i[1], i[0]), (i, hh) => { var (a, b) = SoftplusReference.GradBackward(i[0], i[1], hh); return [a, b]; },
            [Rand.Uniform(10, -1, 1, 4), Rand.Uniform(10, -3, 3, 5)], "softplus_grad");
    }
}

public class Mul3Tests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void ForwardAndBackwardMatchReference()
    {
        const int n = 70001;
        var (a, b, c, g) = (Rand.Floats(n, -2, 2, 1), Rand.Floats(n, -2, 2, 2), Rand.Floats(n, -2, 2, 3), Rand.Floats(n, -1, 1, 4));
        var (at, bt, ct) = (Leaf(a, n), Leaf(b, n), Leaf(c, n));
        var y = Learning.Ops.Mul3(at, bt, ct, -2f);
        Check.Close(y, Mul3Reference.Forward(a, b, c, -2), 1e-6, 1e-6, "mul3 forward");
        var grads = Learning.Autograd.Grad([y], [at, bt, ct], [T(g, n)]);
        var expected = Mul3Reference.Backward(a, b, c, -2, g);
        for (int i = 0; i < 3; i++) Check.Close(grads[i]!, expected[i], 1e-6, 1e-6, $"mul3 d/input{i}");
    }

    [Test]
    public void ReferenceGradientMatchesFiniteDifferences()
        => GradCheck.Check(i => Mul3Reference.Forward(i[0], i[1], i[2], 1.5), (i, g) => Mul3Reference.Backward(i[0], i[1], i[2], 1.5, g),
            [Rand.Uniform(7, -1, 1, 5), Rand.Uniform(7, -1, 1, 6), Rand.Uniform(7, -1, 1, 7)], "mul3");

    [Test]
    public void MatchesPyTorch() => TorchParity.Check(Device, "mul3", ["a", "b", "c"], t => Learning.Ops.Mul3(t[0], t[1], t[2], -2f));

    [Test]
    public void MismatchedShapesNameTheOp()
        => Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Mul3(Tensor.Zeros(Device, 2), Tensor.Zeros(Device, 2), Tensor.Zeros(Device, 3)))!.Message,
            Does.Contain("mul3").And.Contain("[3]"));
}
