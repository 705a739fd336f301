using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

public class GatherScatterRowsTests(DeviceSpec spec) : DeviceTest(spec)
{
    const int B = 3, N = 7, K = 5, D = 11;
    // batch 1 repeats row 4 (its gradients must add up), batch 2 takes the last row
    static readonly int[] Index = [0, 2, 4, 6, 1, 4, 4, 0, 3, 4, 6, 5, 1, 2, 3];

    Tensor IndexTensor() => T(Index.Select(i => (double)i).ToArray(), B, K);

    [Test]
    public void GatherAndItsBackwardMatchReference()
    {
        var x = Rand.Floats(B * N * D, -1, 1, 1);
        var g = Rand.Floats(B * K * D, -1, 1, 2);
        var xt = Leaf(x, B, N, D);
        var y = Learning.Ops.GatherRows(xt, IndexTensor());
        Check.Close(y, GatherRowsReference.Forward(x, Index, B, N, K, D), 0, 0, "gather_rows forward");
        Check.Close(Autograd.Grad(y, xt, T(g, B, K, D)), GatherRowsReference.Backward(g, Index, B, N, K, D), 1e-6, 1e-6, "gather_rows backward");
    }

    [Test]
    public void ScatterAndItsBackwardMatchReference()
    {
        var s = Rand.Floats(B * K * D, -1, 1, 3);
        var g = Rand.Floats(B * N * D, -1, 1, 4);
        var st = Leaf(s, B, K, D);
        var y = Learning.Ops.ScatterRows(st, IndexTensor(), N);
        Check.Close(y, ScatterRowsReference.Forward(s, Index, B, N, K, D), 1e-6, 1e-6, "scatter_rows forward");
        Check.Close(Autograd.Grad(y, st, T(g, B, N, D)), ScatterRowsReference.Backward(g, Index, B, N, K, D), 0, 0, "scatter_rows backward");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        GradCheck.Check(i => GatherRowsReference.Forward(i[0], Index, B, N, K, D), (i, g) => [GatherRowsReference.Backward(g, Index, B, N, K, D)],
            [Rand.Uniform(B * N * D, -1, 1, 5)], "gather_rows");
        GradCheck.Check(i => ScatterRowsReference.Forward(i[0], Index, B, N, K, D), (i, g) => [ScatterRowsReference.Backward(g, Index, B, N, K, D)],
            [Rand.Uniform(B * K * D, -1, 1, 6)], "scatter_rows");
    }

    [Test]
    public void MatchesPyTorchGather()
    {
        var x = Load(Device, "gather.x", true);
        var y = Learning.Ops.GatherRows(x, Load(Device, "gather.idx"));
        Check.Close(y, Values("gather.y"), 0, 0, "gather_rows vs PyTorch");
        Check.Close(Autograd.Grad(y, x, Load(Device, "gather.dy")), Values("gather.dx"), 1e-6, 1e-6, "gather_rows dx vs PyTorch");
    }

    [Test]
    public void MatchesPyTorchScatter()
    {
        // PyTorch's gather backward is the scatter-add: scatter(dy) = its dx, and scatter's own backward gathers x
        var dy = Load(Device, "gather.dy", true);
        var y = Learning.Ops.ScatterRows(dy, Load(Device, "gather.idx"), Shape("gather.x")[1]);
        Check.Close(y, Values("gather.dx"), 1e-6, 1e-6, "scatter_rows vs PyTorch");
        Check.Close(Autograd.Grad(y, dy, Load(Device, "gather.x")), Values("gather.y"), 0, 0, "scatter_rows backward vs PyTorch");
    }

    [TestCase(7.0, "= 7")]
    [TestCase(-1.0, "= -1")]
    [TestCase(2.5, "= 2.5")]
    public void BadIndicesAreRejectedBeforeAnyLaunch(double bad, string shown)
    {
        var idx = T([0, 1, bad], 1, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Learning.Ops.GatherRows(Tensor.Zeros(Device, 1, 7, 2), idx));
        Assert.That(e!.Message, Does.Contain("gather_rows").And.Contain($"index [0, 2] {shown}").And.Contain("[0, 7)"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Learning.Ops.ScatterRows(Tensor.Zeros(Device, 1, 3, 2), idx, 7));
    }
}
