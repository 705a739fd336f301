using WeJepa.Learning.Models.Jepa;
using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;
using WeJepa.Learning.Tests.Support;

namespace WeJepa.Learning.Tests.Jepa;

/// <summary>
/// The learned position table resized to another grid against PyTorch's F.interpolate(bicubic, align_corners=False)
/// (tests/fixtures/make_jepa_resize_fixture.py; up, down, non-square; atol 1e-5 + rtol 1e-4), the double reference's
/// gradient against central differences, and a ViT / V-JEPA run on images of another size.
/// </summary>
public class PositionResizeTests(DeviceSpec spec) : DeviceTest(spec)
{
    const string Fixture = "jepa-resize.safetensors";

    [TestCase("resize0")]
    [TestCase("resize1")]
    [TestCase("resize2")]
    [TestCase("resize3")]
    public void MatchesPyTorchBicubicInterpolation(string name)
    {
        var g = Fixtures.Load(Fixture).Metadata[name].Split(' ').Select(int.Parse).ToArray();
        var table = Leaf(Fixtures.Values(Fixture, $"{name}.table"), Fixtures.Shape(Fixture, $"{name}.table"));
        var y = PositionResize.Resize(table, TokenGrid.Image(g[0], g[1]), TokenGrid.Image(g[2], g[3]));
        Check.Close(y, Fixtures.Values(Fixture, $"{name}.y"), 1e-5, 1e-4, $"{name} vs PyTorch");
        var dy = T(Fixtures.Values(Fixture, $"{name}.dy"), Fixtures.Shape(Fixture, $"{name}.dy"));
        Check.Close(Autograd.Grad([y], [table], [dy])[0]!, Fixtures.Values(Fixture, $"{name}.dtable"), 1e-5, 1e-4, $"{name} dtable vs PyTorch");
    }

    /// <summary>The reference: y[i', j'] = Σ R[i', i] C[j', j] x[i, j] per channel, in double.</summary>
    static double[] Reference(double[] x, int h, int w, int h2, int w2, int d, bool transpose = false)
    {
        var (rows, columns) = (PositionResize.Weights(h, h2), PositionResize.Weights(w, w2));
        var y = new double[(transpose ? h * w : h2 * w2) * d];
        for (int i2 = 0; i2 < h2; i2++)
            for (int j2 = 0; j2 < w2; j2++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        double weight = rows[i2 * h + i] * columns[j2 * w + j];
                        for (int c = 0; c < d; c++)
                            if (transpose) y[(i * w + j) * d + c] += weight * x[(i2 * w2 + j2) * d + c];
                            else y[(i2 * w2 + j2) * d + c] += weight * x[(i * w + j) * d + c];
                    }
        return y;
    }

    [Test]
    public void ReferenceGradientMatchesCentralDifferences()
    {
        var x = Rand.Uniform(3 * 5 * 2, -1, 1, seed: 5);
        GradCheck.Check(inputs => Reference(inputs[0], 3, 5, 4, 7, 2), (inputs, dy) => [Reference(dy, 3, 5, 4, 7, 2, transpose: true)], [x], "bicubic resize");
        Assert.That(PositionResize.Weights(4, 4), Is.EqualTo(Enumerable.Range(0, 16).Select(i => i % 5 == 0 ? 1.0 : 0.0)).Within(1e-12), "same size: identity");
        for (int i = 0; i < 7; i++)
            Assert.That(PositionResize.Weights(5, 7).Skip(i * 5).Take(5).Sum(), Is.EqualTo(1).Within(1e-12), "each row sums to 1 (a constant table stays constant)");
    }

    [Test]
    public void EngineMatchesTheReference()
    {
        var x = Rand.Uniform(3 * 5 * 2, -1, 1, seed: 6);
        var y = PositionResize.Resize(T(x, 1, 15, 2), TokenGrid.Image(3, 5), TokenGrid.Image(4, 7));
        Check.Close(y, Reference(x, 3, 5, 4, 7, 2), 1e-6, 1e-5, "engine vs reference");
    }

    [Test]
    public void AVitTrainedAt32RunsOn48PixelImagesAndTrainsItsTable()
    {
        var parity = new MultiStoreParity("vit");
        var vit = VisionTransformer.WithPatches(3, 32, 8, 64, 2, 4, PositionEmbedding.Learned);
        using var p = parity.Load(Device, vit.Parameters, vit.Constants);
        var images = T(Rand.Uniform(2 * 3 * 48 * 48, 0, 1, seed: 7), 2, 3, 48, 48);
        p.ZeroGrad();
        new Tape(Device).Step(() =>
        {
            var features = vit.Forward(p, images);
            Assert.That(features.Shape, Is.EqualTo(new[] { 2, 36, 64 }), "a 6×6 grid");
            Autograd.Backward(Learning.Ops.Mean(Learning.Ops.Mul(features, features)));
        });
        var grad = p.GetGrad(vit.PositionName);
        Assert.That(grad, Has.Length.EqualTo(16 * 64));
        Assert.That(grad.Count(v => v != 0), Is.GreaterThan(16 * 64 / 2), "the 4×4 table gets the gradient of the 6×6 one");
        Assert.That(grad.All(float.IsFinite));
    }

    [Test]
    public void VjepaRunsOnAnotherImageSize()
    {
        var m = new Vjepa(3, 32, 8, 64, 2, 4, 32);
        using var p = ParameterStore.Create(Device, m.Parameters, seed: 1);
        using var t = ParameterStore.Create(Device, m.TargetParameters, seed: 2);
        var rng = new Core.Rng.SplitMix64(3);
        var masks = new MaskingStrategy(25, blockSize: 2).ContextAndTarget(2, ref rng);
        float loss = new Tape(Device).Step(() => m.Loss(p, t, T(Rand.Uniform(2 * 3 * 40 * 40, 0, 1, seed: 8), 2, 3, 40, 40), masks).Item());
        Assert.That(float.IsFinite(loss) && loss > 0);
    }
}
