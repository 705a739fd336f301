using WeJepa.Core.Scenes;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Tests.Rendering;

public class ReferenceRendererTests
{
    [TestCase(0.0f)]
    [TestCase(0.7f)]
    [TestCase(-1.9f)]
    [TestCase(2.8f)]
    public void BobCentroidRecoversTheta(float theta)
    {
        var spec = RenderSpecs.Simple();
        var frame = RenderSpecs.RenderReference(spec, [theta, 0f]);
        Assert.That(FrameAnalysis.ThetaFromBobCentroid(spec, frame), Is.EqualTo(theta).Within(0.05f));
    }

    [Test]
    public void DoublePendulumShowsBothBobsWhereTheAnglesPutThem()
    {
        var spec = RenderSpecs.Double();
        float t1 = 0.9f, t2 = -1.2f;
        var frame = RenderSpecs.RenderReference(spec, [t1, t2, 0f, 0f]);
        var g = FrameGeometry.Of(spec, [t1, t2], 1f);
        Assert.Multiple(() =>
        {
            Assert.That(FrameAnalysis.ColorAt(spec, frame, g.X1, g.Y1).B, Is.EqualTo(spec.BobColor.B).Within(1e-5));
            Assert.That(FrameAnalysis.ColorAt(spec, frame, g.X2, g.Y2).B, Is.EqualTo(spec.BobColor.B).Within(1e-5));
            // Midpoint of the second link is rod-coloured: the link is drawn.
            Assert.That(FrameAnalysis.ColorAt(spec, frame, 0.5f * (g.X1 + g.X2), 0.5f * (g.Y1 + g.Y2)).R,
                Is.EqualTo(spec.RodColor.R).Within(0.35));
        });
    }

    [Test]
    public void EdgesAreAntiAliased()
    {
        var spec = RenderSpecs.Simple();
        var frame = RenderSpecs.RenderReference(spec, [0.3f, 0f]);
        int plane = spec.Width * spec.Height;
        // Red channel: background 0.07, bob 0.95; count pixels strictly between (partial coverage).
        int partial = 0, full = 0;
        for (int i = 0; i < plane; i++)
        {
            float r = frame[i];
            if (r > 0.1f && r < 0.8f) partial++;
            if (r > 0.94f) full++;
        }
        Assert.That(full, Is.GreaterThan(5), "bob interior");
        Assert.That(partial, Is.GreaterThan(8), "anti-aliased rim pixels");
    }

    [Test]
    public void EveryOutputIsWrittenAndInRange()
    {
        var spec = RenderSpecs.Double(16) with { NoiseStddev = 0.2f, ColorJitter = 0.3f };
        var frames = RenderSpecs.RenderReference(spec, [0.1f, 0.2f, 0, 0, 2f, -3f, 0, 0, -1f, 1f, 0, 0]);
        Assert.That(frames, Has.All.InRange(0f, 1f));
    }

    [Test]
    public void NoiseHasTheRequestedStddevAndDependsOnEnvAndTime()
    {
        var spec = RenderSpecs.Simple() with { NoiseStddev = 0.02f, PivotRadius = 0, RodWidth = 0, BobRadius = 0, Background = new Rgb(0.5, 0.5, 0.5) };
        var a = RenderSpecs.RenderReference(spec, [3.14f, 0f, 3.14f, 0f], new FrameIndexing(2, 7, 0));
        double mean = a.Average(v => (double)v), std = Math.Sqrt(a.Average(v => (v - mean) * (v - mean)));
        Assert.That(mean, Is.EqualTo(0.5).Within(0.002));
        Assert.That(std, Is.EqualTo(0.02).Within(0.002));
        int f = spec.FrameFloats;
        Assert.That(a.AsSpan(0, f).SequenceEqual(a.AsSpan(f, f)), Is.False, "two time steps draw different noise");
        var b = RenderSpecs.RenderReference(spec, [3.14f, 0f, 3.14f, 0f], new FrameIndexing(2, 7, 0));
        Assert.That(a, Is.EqualTo(b), "noise is a pure function of (seed, env, time, pixel)");
    }

    [Test]
    public void LooksAreDeterministicPerEnvAndWithinTheJitter()
    {
        var spec = RenderSpecs.Simple() with { ColorJitter = 0.1f };
        float[] scales = [0.8f, 0.9f, 1f, 1.1f, 1.2f, 0.85f, 0.95f, 1.05f];
        var all = EnvLooks.Draw(spec, 0, scales);
        var tail = EnvLooks.Draw(spec, 5, scales.AsSpan(5));
        Assert.That(tail, Is.EqualTo(all.AsSpan(5 * EnvLooks.FloatsPerEnv).ToArray()), "a look depends on the global env index only");
        for (int e = 0; e < 8; e++)
        {
            var look = all.AsSpan(e * EnvLooks.FloatsPerEnv, EnvLooks.FloatsPerEnv);
            Assert.That(look[0], Is.EqualTo(spec.Background.R).Within(0.1 + 1e-6));
            Assert.That(look[6], Is.EqualTo(spec.BobColor.R).Within(0.1 + 1e-6));
            Assert.That(look[EnvLooks.LengthScaleIndex], Is.EqualTo(scales[e]));
        }
        Assert.That(all[0], Is.Not.EqualTo(all[EnvLooks.FloatsPerEnv]), "each env draws its own jitter");
    }

    [Test]
    public void QuantizeRoundsToNearest()
    {
        Assert.That(new[] { 0f, 1f, 0.5f / 255f - 1e-6f, 0.5f / 255f + 1e-6f, 2f, -1f }.Select(ReferenceRenderer.Quantize),
            Is.EqualTo(new byte[] { 0, 255, 0, 1, 255, 0 }));
    }
}
