using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

public class MatMulTests(DeviceSpec spec) : DeviceTest(spec)
{
    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(true, true)]
    public void TwoDimensionalMatchesReference(bool transA, bool transB)
    {
        const int m = 33, k = 17, n = 21;
        var a = Rand.Floats(m * k, -1, 1, 1); var b = Rand.Floats(k * n, -1, 1, 2); var g = Rand.Floats(m * n, -1, 1, 3);
        var at = Leaf(a, transA ? [k, m] : [m, k]);
        var bt = Leaf(b, transB ? [n, k] : [k, n]);
        var c = Learning.Ops.MatMul(at, bt, transA, transB);
        Assert.That(c.Shape, Is.EqualTo(new[] { m, n }));
        Check.Close(c, MatMulReference.Forward(a, b, m, k, n, transA, transB), 1e-5, 1e-5, "matmul forward");
        var grads = Autograd.Grad([c], [at, bt], [T(g, m, n)]);
        var (da, db) = MatMulReference.Backward(a, b, g, m, k, n, transA, transB);
        Check.Close(grads[0]!, da, 1e-5, 1e-5, "matmul da");
        Check.Close(grads[1]!, db, 1e-5, 1e-5, "matmul db");
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    public void BatchedWithSharedOperandMatchesReference(bool transA, bool transB)
    {
        const int batch = 3, m = 5, k = 4, n = 6;
        var a = Rand.Floats(batch * m * k, -1, 1, 4); var b = Rand.Floats(k * n, -1, 1, 5); var g = Rand.Floats(batch * m * n, -1, 1, 6);
        var at = Leaf(a, transA ? [batch, k, m] : [batch, m, k]);
        var bt = Leaf(b, transB ? [n, k] : [k, n]);
        var c = Learning.Ops.MatMul(at, bt, transA, transB);
        var grads = Autograd.Grad([c], [at, bt], [T(g, batch, m, n)]);
        var expectedDb = new double[k * n];
        for (int i = 0; i < batch; i++)
        {
            var ai = a.Skip(i * m * k).Take(m * k).ToArray(); var gi = g.Skip(i * m * n).Take(m * n).ToArray();
            Check.Close(c.ToArray().Skip(i * m * n).Take(m * n).ToArray(), MatMulReference.Forward(ai, b, m, k, n, transA, transB), 1e-5, 1e-5, $"batch {i} forward");
            var (da, db) = MatMulReference.Backward(ai, b, gi, m, k, n, transA, transB);
            Check.Close(grads[0]!.ToArray().Skip(i * m * k).Take(m * k).ToArray(), da, 1e-5, 1e-5, $"batch {i} da");
            for (int j = 0; j < db.Length; j++) expectedDb[j] += db[j];
        }
        Check.Close(grads[1]!, expectedDb, 1e-5, 1e-5, "shared db summed over the batch");
    }

    [Test]
    public void ABatchIsOneGemmCall()
    {
        if (!Device.IsCpu) Assert.Ignore("the GEMM counters time the CPU accelerator's BLAS calls");
        var a = Leaf(Rand.Floats(4 * 3 * 5, -1, 1, 9), 4, 3, 5);
        var b = Leaf(Rand.Floats(4 * 5 * 2, -1, 1, 10), 4, 5, 2);
        Device.Counters.Reset();
        var c = Learning.Ops.MatMul(a, b);
        Assert.That((Device.Counters.Calls, Device.Counters.Products), Is.EqualTo((1L, 4L)));
        for (int i = 0; i < 4; i++)
            Check.Close(c.ToArray().Skip(i * 6).Take(6).ToArray(), MatMulReference.Forward(a.ToArray().Skip(i * 15).Take(15).Select(v => (double)v).ToArray(),
                b.ToArray().Skip(i * 10).Take(10).Select(v => (double)v).ToArray(), 3, 5, 2, false, false), 1e-6, 1e-5, $"batch {i}");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
        => GradCheck.Check(i => MatMulReference.Forward(i[0], i[1], 2, 3, 4, true, false),
            (i, g) => { var (a, b) = MatMulReference.Backward(i[0], i[1], g, 2, 3, 4, true, false); return [a, b]; },
            [Rand.Uniform(6, -1, 1, 7), Rand.Uniform(12, -1, 1, 8)], "matmul");

    [Test]
    public void BatchedTransposedBMatchesPyTorch() => TorchParity.Check(Device, "matmul_bt", ["a", "b"], t => Learning.Ops.MatMul(t[0], t[1], transB: true));

    [Test]
    public void TransposedAMatchesPyTorch() => TorchParity.Check(Device, "matmul_at", ["a", "b"], t => Learning.Ops.MatMul(t[0], t[1], transA: true));

    [Test]
    public void BroadcastBMatchesPyTorch() => TorchParity.Check(Device, "matmul_bcast", ["a", "b"], t => Learning.Ops.MatMul(t[0], t[1]));

    [Test]
    public void MismatchedInnerDimsNameOpAndShapes()
    {
        var e = Assert.Throws<ShapeError>(() => Learning.Ops.MatMul(Tensor.Zeros(Device, 4, 3), Tensor.Zeros(Device, 4, 3)));
        Assert.That(e!.Message, Does.Contain("matmul").And.Contain("[4, 3]"));
    }
}
