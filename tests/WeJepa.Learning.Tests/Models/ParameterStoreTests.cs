using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Models;

public class ParameterStoreTests(DeviceSpec spec) : DeviceTest(spec)
{
    static readonly ParameterSpec[] Specs =
    [
        ParameterSpec.Of("net.0.weight", [4, 2], Initializer.LinearWeight),
        ParameterSpec.Of("net.0.bias", [4], Initializer.LinearBias(2)),
        ParameterSpec.Of("net.2.weight", [1, 4], Initializer.LinearWeight),
    ];

    [Test]
    public void ViewsShareTheFlatBuffersAtTheirLayoutOffsets()
    {
        using var p = ParameterStore.Create(Device, Specs, 3);
        var flat = p.ToArray();
        foreach (var e in p.Layout.Entries)
        {
            Assert.That(p[e.Name].Shape, Is.EqualTo(e.Shape));
            Assert.That(p[e.Name].RequiresGrad && p[e.Name].IsLeaf, Is.True);
            Assert.That(p.Get(e.Name), Is.EqualTo(flat.AsSpan((int)e.Offset, (int)e.Length).ToArray()), e.Name);
        }
        p.Set("net.0.bias", [1f, 2f, 3f, 4f]);
        Assert.That(p.ToArray().AsSpan((int)p.Layout["net.0.bias"].Offset, 4).ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
        Assert.That(() => p.Set("net.0.bias", [1f]), Throws.ArgumentException.With.Message.Contains("net.0.bias"));
    }

    [Test]
    public void BackwardAccumulatesIntoTheFlatGradientBuffer()
    {
        using var p = ParameterStore.Create(Device, Specs, 4);
        var x = T([0.5, -1.0, 2.0, 0.25], 2, 2);
        // loss = Σ W2·tanh(W0·x + b0)
        var loss = Learning.Ops.Sum(Learning.Ops.Linear(Learning.Ops.Tanh(Learning.Ops.Linear(x, p["net.0.weight"], p["net.0.bias"])), p["net.2.weight"]));
        Autograd.Backward(loss);
        var first = p.Grads.ToArray();
        Assert.That(first.Any(g => g != 0f), Is.True);
        Assert.That(p.GetGrad("net.2.weight"), Is.EqualTo(first.AsSpan((int)p.Layout["net.2.weight"].Offset, 4).ToArray()));
        Autograd.Backward(Learning.Ops.Sum(Learning.Ops.Linear(Learning.Ops.Tanh(Learning.Ops.Linear(x, p["net.0.weight"], p["net.0.bias"])), p["net.2.weight"])));
        Check.Close(p.Grads.ToArray(), first.Select(g => 2.0 * g).ToArray(), 1e-6, 1e-6, "second backward accumulates");
        p.ZeroGrad();
        Assert.That(p.Grads.ToArray(), Is.All.EqualTo(0f));
    }

    [Test]
    public void SameSeedGivesSameWeights()
    {
        using var a = ParameterStore.Create(Device, Specs, 9);
        using var b = ParameterStore.Create(Device, Specs, 9);
        using var c = ParameterStore.Create(Device, Specs, 10);
        Assert.That(a.ToArray(), Is.EqualTo(b.ToArray()));
        Assert.That(a.ToArray(), Is.Not.EqualTo(c.ToArray()));
    }
}
