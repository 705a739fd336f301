using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>
/// render.comp shades only each row's span of quads the shapes can touch and writes the background
/// elsewhere; that must be invisible: bit-identical frames to shading every pixel (FULL_FRAME), in both
/// formats, for poses that put the rods along rows and columns, off-centre cameras, shapes leaving the
/// frame, large rods and bobs, and sensor noise.
/// </summary>
public class RowSpanTests : GpuFixture
{
    private static IEnumerable<TestCaseData> Specs()
    {
        yield return new TestCaseData(RenderSpecs.Simple()).SetName("simple 64x64");
        yield return new TestCaseData(RenderSpecs.Double()).SetName("double 64x64");
        yield return new TestCaseData(RenderSpecs.Simple(32) with { CenterX = 0.7f, CenterY = -0.9f, RodWidth = 0.3f, BobRadius = 0.4f })
            .SetName("simple 32x32 off-centre, thick shapes leaving the frame");
        yield return new TestCaseData(RenderSpecs.Double(16) with { Width = 40, NoiseStddev = 0.05f, ColorJitter = 0.1f, Seed = 9 })
            .SetName("double 40x16 noisy");
    }

    [TestCaseSource(nameof(Specs))]
    public void SpansRenderTheSameFramesAsShadingEveryPixel(RenderSpec spec)
    {
        // Random angles plus the axis-aligned poses (rods along a row or a column) and exact multiples of π/4.
        var random = new Random(11);
        var angles = new List<float> { 0f, MathF.PI / 2, -MathF.PI / 2, MathF.PI, MathF.PI / 4, -3 * MathF.PI / 4, 1e-7f };
        while (angles.Count < 40 * spec.StateSize) angles.Add((float)(random.NextDouble() * 8 - 4));
        var states = angles.Take(angles.Count / spec.StateSize * spec.StateSize).ToArray();
        int n = states.Length / spec.StateSize;
        var looks = EnvLooks.Draw(spec, 0, n);
        using var spans = new GpuRenderer(Device, spec);
        using var full = new GpuRenderer(Device, spec) { ShadeEveryPixel = true };
        foreach (var format in new[] { FrameFormat.Float32, FrameFormat.UInt8 })
        {
            var expected = Render(full, states, looks, n, format);
            var actual = Render(spans, states, looks, n, format);
            Assert.That(actual, Is.EqualTo(expected), $"{format}: frames differ from the full render");
        }
    }

    private byte[] Render(GpuRenderer renderer, float[] states, float[] looks, int n, FrameFormat format)
    {
        using var stateBuffer = Upload(states);
        using var lookBuffer = Upload(looks);
        using var output = Device.CreateBuffer(n * renderer.FrameBytes(format));
        output.FillBits(0xA5A5A5A5);
        renderer.Render(stateBuffer, lookBuffer, new FrameIndexing(1), 0, n, output, 0, format);
        return output.ReadToHost<byte>((int)output.SizeBytes);
    }
}
