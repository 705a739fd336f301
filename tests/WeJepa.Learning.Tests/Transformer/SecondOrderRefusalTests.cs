using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Transformer;

/// <summary>Every fused transformer op refuses createGraph (a gradient of its gradient) by name instead of returning a cut graph.</summary>
public class SecondOrderRefusalTests(DeviceSpec spec) : DeviceTest(spec)
{
    [TestCase("softmax")]
    [TestCase("layernorm")]
    [TestCase("gelu")]
    [TestCase("attention")]
    [TestCase("patch_embed")]
    public void CreateGraphThroughTheOpIsRefusedByName(string op)
    {
        var x = Leaf(Rand.Floats(2 * 4 * 6, -1, 1, 1), 2, 4, 6);
        Tensor y = op switch
        {
            "softmax" => Learning.Ops.Softmax(x),
            "layernorm" => Learning.Ops.LayerNorm(x, T([1, 1, 1, 1, 1, 1], 6), T([0, 0, 0, 0, 0, 0], 6)),
            "gelu" => Learning.Ops.Gelu(x),
            "attention" => Learning.Ops.MultiHeadAttention(x, 1),
            _ => Learning.Ops.PatchEmbedConv(Learning.Ops.Reshape(x, 2, 1, 4, 6), T(Rand.Floats(12, -1, 1, 2), 3, 1, 2, 2), T([0, 0, 0], 3)),
        };
        var e = Assert.Throws<NotSupportedException>(() => Autograd.Grad(y, x, Tensor.Full(Device, 1f, y.Shape), createGraph: true));
        Assert.That(e!.Message, Does.StartWith(op + ":").And.Contain("not differentiable twice"));
        Assert.That(Autograd.Grad(y, x, Tensor.Full(Device, 1f, y.Shape)).Shape, Is.EqualTo(x.Shape), "first order still works");
    }
}
