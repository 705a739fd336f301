using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

/// <summary>sum/mean over axes, expand (their gradient) and sum_to.</summary>
public class ReductionTests(DeviceSpec spec) : DeviceTest(spec)
{
    public static IEnumerable<TestCaseData> AxisCases()
    {
        int[][] shapes = [[300, 257], [4, 5, 6], [3, 4, 5, 6]];
        int[][][] axes = [[[0], [1], [0, 1]], [[0], [1], [2], [0, 2], [1, 2], [0, 1, 2]], [[1, 2], [0, 3], [3]]];
        for (int s = 0; s < shapes.Length; s++)
            foreach (var a in axes[s])
                yield return new TestCaseData(shapes[s], a).SetArgDisplayNames(Shapes.Format(shapes[s]), Shapes.Format(a));
    }

    [TestCaseSource(nameof(AxisCases))]
    public void SumAndMeanMatchReference(int[] shape, int[] axes)
    {
        var x = Rand.Floats(Shapes.Product(shape), -1, 1, 1);
        var kept = shape.Select((d, i) => axes.Contains(i) ? 1 : d).ToArray();
        var g = Rand.Floats(Shapes.Product(kept), -1, 1, 2);
        foreach (var (name, op, fwd, bwd) in new (string, Func<Tensor, Tensor>, Func<double[], int[], int[], double[]>, Func<double[], int[], int[], double[]>)[]
                 {
                     ("sum", t => Learning.Ops.Sum(t, axes, keepDims: true), SumReference.Forward, SumReference.Backward),
                     ("mean", t => Learning.Ops.Mean(t, axes, keepDims: true), MeanReference.Forward, MeanReference.Backward),
                 })
        {
            var xt = Leaf(x, shape);
            var y = op(xt);
            Assert.That(y.Shape, Is.EqualTo(kept), name);
            Check.Close(y, fwd(x, shape, axes), 1e-4, 1e-5, $"{name} forward");
            Check.Close(Autograd.Grad(y, xt, T(g, kept)), bwd(g, shape, axes), 1e-6, 1e-5, $"{name} backward");
        }
    }

    [Test]
    public void DropsReducedDimsUnlessKept()
    {
        var x = T(Rand.Floats(24, -1, 1, 3), 2, 3, 4);
        Assert.That(Learning.Ops.Sum(x, [0, 2]).Shape, Is.EqualTo(new[] { 3 }));
        Assert.That(Learning.Ops.Sum(x).Shape, Is.Empty);
        Assert.That(Learning.Ops.Mean(x, -1).Shape, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void ExpandMatchesReference()
    {
        int[] sx = [3, 1, 5], shape = [2, 3, 4, 5];
        var x = Rand.Floats(15, -1, 1, 4);
        var g = Rand.Floats(120, -1, 1, 5);
        var xt = Leaf(x, sx);
        var y = Learning.Ops.Expand(xt, shape);
        Check.Close(y, ExpandReference.Forward(x, sx, shape), 0, 0, "expand forward");
        Check.Close(Autograd.Grad(y, xt, T(g, shape)), ExpandReference.Backward(g, shape, sx), 1e-5, 1e-5, "expand backward");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        int[] shape = [2, 3, 2];
        GradCheck.Check(i => SumReference.Forward(i[0], shape, [0, 2]), (i, g) => [SumReference.Backward(g, shape, [0, 2])], [Rand.Uniform(12, -1, 1, 6)], "sum");
        GradCheck.Check(i => MeanReference.Forward(i[0], shape, [1]), (i, g) => [MeanReference.Backward(g, shape, [1])], [Rand.Uniform(12, -1, 1, 7)], "mean");
        GradCheck.Check(i => ExpandReference.Forward(i[0], [3, 1], [2, 3, 2]), (i, g) => [ExpandReference.Backward(g, [2, 3, 2], [3, 1])], [Rand.Uniform(3, -1, 1, 8)], "expand");
    }

    [Test]
    public void SumMatchesPyTorch() => TorchParity.Check(Device, "sum", ["x"], t => Learning.Ops.Sum(t[0], [0, 2]));

    [Test]
    public void MeanMatchesPyTorch() => TorchParity.Check(Device, "mean", ["x"], t => Learning.Ops.Mean(t[0], 1, keepDims: true));

    [Test]
    public void BadAxisNamesOp()
    {
        var e = Assert.Throws<ShapeError>(() => Learning.Ops.Sum(Tensor.Zeros(Device, 2, 3), 2));
        Assert.That(e!.Message, Does.Contain("sum").And.Contain("axis 2"));
    }
}
