using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.OpsTests;

public class TanhTests(DeviceSpec spec) : DeviceTest(spec)
{
    [Test]
    public void ForwardAndBackwardMatchReference()
    {
        var x = Rand.Floats(1003, -4, 4, seed: 1);
        var g = Rand.Floats(1003, -1, 1, seed: 2);
        var xt = Leaf(x, 17, 59);
        var y = Learning.Ops.Tanh(xt);
        Check.Close(y, TanhReference.Forward(x), 1e-6, 1e-5, "tanh forward");
        var dx = Autograd.Grad(y, xt, T(g, 17, 59));
        Check.Close(dx, TanhReference.Backward(x, g), 1e-6, 1e-5, "tanh backward");
    }

    [Test]
    public void TanhGradBackwardMatchesReference()
    {
        var g = Rand.Floats(300, -1, 1, seed: 3);
        var y = Rand.Floats(300, -0.99, 0.99, seed: 4);
        var h = Rand.Floats(300, -1, 1, seed: 5);
        var gt = Leaf(g, 300); var yt = Leaf(y, 300);
        var d = Learning.Ops.TanhGrad(gt, yt);
        Check.Close(d, TanhReference.Grad(g, y), 1e-6, 1e-5, "tanh_grad forward");
        var grads = Autograd.Grad([d], [gt, yt], [T(h, 300)]);
        var (dg, dy) = TanhReference.GradBackward(g, y, h);
        Check.Close(grads[0]!, dg, 1e-6, 1e-5, "tanh_grad d/dg");
        Check.Close(grads[1]!, dy, 1e-6, 1e-5, "tanh_grad d/dy");
    }

    [Test]
    public void ReferenceGradientsMatchFiniteDifferences()
    {
        GradCheck.Check(i => TanhReference.Forward(i[0]), (i, g) => [TanhReference.Backward(i[0], g)],
            [Rand.Uniform(20, -3, 3, seed: 6)], "tanh");
        GradCheck.Check(i => TanhReference.Grad(i[0], i[1]), (i, h) => { var (a, b) = TanhReference.GradBackward(i[0], i[1], h); return [a, b]; },
            [Rand.Uniform(20, -1, 1, seed: 7), Rand.Uniform(20, -1, 1, seed: 8)], "tanh_grad");
    }

    [Test]
    public void HostTanhIsWithinTwoTenMillionthsOfTheExactValue()
    {
        var x = Enumerable.Range(-40000, 80001).Select(i => (float)(i * 2.5e-4)).Concat([1e-30f, -1e-7f, 9f, 9.5f, 20f, -88f, 1e30f, float.PositiveInfinity, float.NegativeInfinity]).ToArray();
        var y = new float[x.Length];
        FastTanh.Apply(x, y);
        for (int i = 0; i < x.Length; i++)
            Assert.That(Math.Abs(y[i] - Math.Tanh(x[i])), Is.LessThanOrEqualTo(2e-7 + 1e-6 * Math.Abs(Math.Tanh(x[i]))), $"tanh({x[i]:R}) = {y[i]:R}");
        var tiny = Enumerable.Range(1, 64).Select(i => (float)(i * 1e-5)).Concat([1e-20f, -3e-9f]).ToArray();
        var tinyTanh = new float[tiny.Length];
        FastTanh.Apply(tiny, tinyTanh);
        for (int i = 0; i < tiny.Length; i++)
            Assert.That(Math.Abs(tinyTanh[i] / Math.Tanh(tiny[i]) - 1), Is.LessThanOrEqualTo(1e-6), $"relative accuracy near 0: tanh({tiny[i]:R}) = {tinyTanh[i]:R}");
        var nan = Enumerable.Repeat(float.NaN, 16).ToArray();
        FastTanh.Apply(nan, nan);
        Assert.That(nan.All(float.IsNaN), "NaN stays NaN (anomaly mode relies on it)");
    }

    [Test]
    public void MatchesPyTorch() => TorchParity.Check(Device, "tanh", ["x"], t => Learning.Ops.Tanh(t[0]));
}
