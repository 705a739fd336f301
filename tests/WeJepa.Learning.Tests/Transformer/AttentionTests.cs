using WeJepa.Learning.Tests.Support;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

public class AttentionTests(DeviceSpec spec) : DeviceTest(spec)
{
    // (B, N, D, H): several heads, one head, one channel per head, many images
    [TestCase(2, 7, 12, 3, false)]
    [TestCase(2, 7, 12, 3, true)]
    [TestCase(3, 5, 8, 1, true)]
    [TestCase(1, 9, 4, 4, false)]
    [TestCase(6, 96, 64, 2, true)] // many images in parallel on the host path, each GEMM big enough for BLAS to thread too
    public void ForwardAndBackwardMatchReference(int B, int N, int D, int H, bool masked)
    {
        var qkv = Rand.Floats(B * N * 3 * D, -2, 2, 1);
        var g = Rand.Floats(B * N * D, -1, 1, 2);
        bool[]? mask = masked ? Enumerable.Range(0, B * N).Select(i => i % N >= N - 1 - i / N % 2 * 2).ToArray() : null;
        var qkvT = Leaf(qkv, B, N, 3 * D);
        var y = Learning.Ops.MultiHeadAttention(qkvT, H, mask is null ? null : T(mask.Select(m => m ? 1.0 : 0.0).ToArray(), B, N));
        Check.Close(y, AttentionReference.Forward(qkv, mask, B, N, D, H, out var probs), 1e-6, 1e-5, "attention forward");
        var dqkv = Autograd.Grad(y, qkvT, T(g, B, N, D));
        var expected = AttentionReference.Backward(g, qkv, probs, B, N, D, H);
        Check.Close(dqkv, expected, 1e-6, 1e-4, "attention backward");
        if (mask is not null) // a padded key receives no gradient in k or v
            for (int b = 0; b < B; b++)
                for (int n = 0; n < N; n++)
                    if (mask[b * N + n])
                        Assert.That(expected.AsSpan((b * N + n) * 3 * D + D, 2 * D).ToArray(), Is.All.EqualTo(0.0), "reference: dk, dv of a padded key");
    }

    [Test]
    public void EachProductIsOneBatchedGemmOverEveryImageAndHead()
    {
        if (!Device.IsCpu) Assert.Ignore("the GEMM counters time the CPU accelerator's BLAS calls");
        const int B = 3, N = 5, D = 8, H = 2;
        var qkvT = Leaf(Rand.Floats(B * N * 3 * D, -2, 2, 6), B, N, 3 * D);
        Device.Counters.Reset();
        var y = Learning.Ops.MultiHeadAttention(qkvT, H, T([0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0], B, N));
        Assert.That((Device.Counters.Calls, Device.Counters.Products), Is.EqualTo((2L, 2L * B * H)), "forward: s = q·kᵀ and o = p·v");
        Autograd.Grad(y, qkvT, T(Rand.Floats(B * N * D, -1, 1, 7), B, N, D));
        Assert.That((Device.Counters.Calls, Device.Counters.Products), Is.EqualTo((6L, 6L * B * H)), "backward: dp, dv, dq, dk");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        const int B = 2, N = 4, D = 6, H = 2;
        bool[] mask = [false, false, false, false, false, true, false, true];
        GradCheck.Check(i => AttentionReference.Forward(i[0], mask, B, N, D, H, out _),
            (i, g) =>
            {
                AttentionReference.Forward(i[0], mask, B, N, D, H, out var p);
                return [AttentionReference.Backward(g, i[0], p, B, N, D, H)];
            },
            [Rand.Uniform(B * N * 3 * D, -1.5, 1.5, 3)], "attention");
    }

    [Test]
    public void MatchesPyTorch()
    {
        var qkv = Load(Device, "attention.qkv", true);
        var y = Learning.Ops.MultiHeadAttention(qkv, 2, Load(Device, "attention.mask"));
        Check.Close(y, Values("attention.out"), 1e-6, 1e-5, "attention vs PyTorch");
        Check.Close(Autograd.Grad(y, qkv, Load(Device, "attention.dout")), Values("attention.dqkv"), 1e-6, 1e-4, "attention dqkv vs PyTorch");
    }

    [Test]
    public void ProbabilitiesAreHandedOutReadOnly()
    {
        const int B = 2, N = 5, D = 8, H = 2;
        var qkv = Rand.Floats(B * N * 3 * D, -2, 2, 4);
        bool[] mask = [false, false, false, false, false, false, false, true, false, true];
        var qkvT = Leaf(qkv, B, N, 3 * D);
        var y = Learning.Ops.MultiHeadAttention(qkvT, H, T(mask.Select(m => m ? 1.0 : 0.0).ToArray(), B, N), out var probabilities);
        AttentionReference.Forward(qkv, mask, B, N, D, H, out var expected);
        Assert.That(probabilities.Shape, Is.EqualTo(new[] { B, H, N, N }));
        Check.Close(probabilities, expected, 1e-7, 1e-5, "attention probabilities");
        probabilities.Fill(0f);
        var e = Assert.Throws<InvalidOperationException>(() => Autograd.Grad(y, qkvT, T(Rand.Floats(B * N * D, -1, 1, 5), B, N, D)));
        Assert.That(e!.Message, Does.Contain("attention").And.Contain("modified in place"));
    }

    [Test]
    public void AFullyMaskedRowIsRejected()
    {
        var mask = T([0, 0, 0, 1, 1, 1], 2, 3);
        var e = Assert.Throws<ArgumentException>(() => Learning.Ops.MultiHeadAttention(Tensor.Zeros(Device, 2, 3, 12), 2, mask));
        Assert.That(e!.Message, Does.Contain("attention").And.Contain("row 1").And.Contain("all 3 keys"));
    }

    [Test]
    public void ANonBinaryMaskIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Learning.Ops.MultiHeadAttention(Tensor.Zeros(Device, 1, 2, 6), 1, T([0, 0.5], 1, 2)));
        Assert.That(e!.Message, Does.Contain("mask[0, 1] = 0.5"));
    }

    [Test]
    public void BadShapesNameOpAndShapes()
    {
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.MultiHeadAttention(Tensor.Zeros(Device, 2, 3, 12), 3))!.Message,
            Does.Contain("D = 4").And.Contain("heads = 3"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.MultiHeadAttention(Tensor.Zeros(Device, 2, 3, 10), 1))!.Message,
            Does.Contain("[2, 3, 10]"));
        Assert.That(Assert.Throws<ShapeError>(() => Learning.Ops.MultiHeadAttention(Tensor.Zeros(Device, 2, 3, 12), 2, Tensor.Zeros(Device, 2, 4)))!.Message,
            Does.Contain("[2, 4]"));
    }
}
