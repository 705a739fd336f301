using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

/// <summary>reshape, slice/pad, concat/split, transpose/permute.</summary>
public class ShapeOpTests(DeviceSpec spec) : DeviceTest(spec)
{
    [TestCase(new[] { 3, 7, 5 }, 1, 2, 4)]
    [TestCase(new[] { 400, 300 }, 1, 0, 1)]
    [TestCase(new[] { 400, 300 }, 0, 17, 200)]
    [TestCase(new[] { 6 }, 0, 5, 1)]
    public void SliceAndPadMatchReference(int[] shape, int axis, int start, int length)
    {
        var x = Rand.Floats(Shapes.Product(shape), -1, 1, 1);
        var xt = Leaf(x, shape);
        var y = Learning.Ops.Slice(xt, axis, start, length);
        Check.Close(y, SliceReference.Forward(x, shape, axis, start, length), 0, 0, "slice forward");
        var g = Rand.Floats(y.Length, -1, 1, 2);
        Check.Close(Autograd.Grad(y, xt, T(g, y.Shape)), SliceReference.Backward(g, shape, axis, start, length), 0, 0, "slice backward (pad)");
    }

    [Test]
    public void ConcatAndSplitMatchReference()
    {
        int[] sa = [2, 3, 40], sb = [2, 5, 40];
        var a = Rand.Floats(240, -1, 1, 3); var b = Rand.Floats(400, -1, 1, 4);
        var (at, bt) = (Leaf(a, sa), Leaf(b, sb));
        var y = Learning.Ops.Concat([at, bt], 1);
        Check.Close(y, ConcatReference.Forward(a, sa, b, sb, 1), 0, 0, "concat forward");
        var g = Rand.Floats(y.Length, -1, 1, 5);
        var grads = Autograd.Grad([y], [at, bt], [T(g, y.Shape)]);
        var (da, db) = ConcatReference.Backward(g, sa, sb, 1);
        Check.Close(grads[0]!, da, 0, 0, "concat da");
        Check.Close(grads[1]!, db, 0, 0, "concat db");
        var parts = Learning.Ops.Split(y, 1, 3, 5);
        Check.Close(parts[0], a, 0, 0, "split part 0");
        Check.Close(parts[1], b, 0, 0, "split part 1");
    }

    [TestCase(new[] { 2, 3, 4 }, new[] { 2, 1, 0 })]
    [TestCase(new[] { 2, 3, 4, 5 }, new[] { 0, 2, 1, 3 })]
    [TestCase(new[] { 300, 257 }, new[] { 1, 0 })]
    [TestCase(new[] { 2, 1, 3, 2, 2, 3 }, new[] { 5, 3, 1, 0, 4, 2 })]
    public void PermuteMatchesReference(int[] shape, int[] perm)
    {
        var x = Rand.Floats(Shapes.Product(shape), -1, 1, 6);
        var xt = Leaf(x, shape);
        var y = Learning.Ops.Permute(xt, perm);
        Assert.That(y.Shape, Is.EqualTo(perm.Select(p => shape[p]).ToArray()));
        Check.Close(y, PermuteReference.Forward(x, shape, perm), 0, 0, "permute forward");
        var g = Rand.Floats(y.Length, -1, 1, 7);
        Check.Close(Autograd.Grad(y, xt, T(g, y.Shape)), PermuteReference.Backward(g, shape, perm), 0, 0, "permute backward");
    }

    [Test]
    public void ReshapeSharesMemoryAndRoutesGradient()
    {
        var xt = Leaf(Rand.Floats(24, -1, 1, 8), 2, 3, 4);
        var y = Learning.Ops.Reshape(xt, 4, -1);
        Assert.That(y.Shape, Is.EqualTo(new[] { 4, 6 }));
        Check.Close(y.ToArray(), xt.ToArray(), 0, 0, "reshape values");
        var g = Rand.Floats(24, -1, 1, 9);
        var dx = Autograd.Grad(y, xt, T(g, 4, 6));
        Assert.That(dx.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Check.Close(dx, g, 0, 0, "reshape backward");
        Assert.Throws<ShapeError>(() => Learning.Ops.Reshape(xt, 5, -1));
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        int[] shape = [2, 4, 3];
        GradCheck.Check(i => SliceReference.Forward(i[0], shape, 1, 1, 2), (i, g) => [SliceReference.Backward(g, shape, 1, 1, 2)], [Rand.Uniform(24, -1, 1, 1)], "slice");
        GradCheck.Check(i => PermuteReference.Forward(i[0], shape, [2, 0, 1]), (i, g) => [PermuteReference.Backward(g, shape, [2, 0, 1])], [Rand.Uniform(24, -1, 1, 2)], "permute");
        GradCheck.Check(i => ConcatReference.Forward(i[0], [2, 1], i[1], [2, 2], 1),
            (i, g) => { var (a, b) = ConcatReference.Backward(g, [2, 1], [2, 2], 1); return [a, b]; },
            [Rand.Uniform(2, -1, 1, 3), Rand.Uniform(4, -1, 1, 4)], "concat");
    }

    [Test]
    public void ConcatMatchesPyTorch() => TorchParity.Check(Device, "concat", ["a", "b"], t => Learning.Ops.Concat([t[0], t[1]], 1));

    [Test]
    public void TransposeMatchesPyTorch() => TorchParity.Check(Device, "transpose", ["x"], t => Learning.Ops.Transpose(t[0], 0, 2));

    [Test]
    public void SliceMatchesPyTorch() => TorchParity.Check(Device, "slice", ["x"], t => Learning.Ops.Slice(t[0], 1, 2, 3));

    [Test]
    public void BadShapesAreRejectedBeforeLaunch()
    {
        var x = Tensor.Zeros(Device, 3, 4);
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Slice(x, 1, 3, 2))!.Message, Does.Contain("slice").And.Contain("[3, 4]"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Concat([x, Tensor.Zeros(Device, 2, 4)], 1))!.Message, Does.Contain("concat").And.Contain("[2, 4]"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Split(x, 1, 1, 2))!.Message, Does.Contain("split"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.Permute(x, 0, 0))!.Message, Does.Contain("permute"));
    }
}
