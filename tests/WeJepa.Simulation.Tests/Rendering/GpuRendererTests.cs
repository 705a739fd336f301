using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Tests.Rendering;

public class GpuRendererTests : GpuFixture
{
    private const float Tolerance = 2f / 255f;

    /// <summary>N random states of the spec's system, angles over the full circle.</summary>
    private static float[] RandomStates(RenderSpec spec, int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n * spec.StateSize).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
    }

    private static float[] LengthScales(int envs, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, envs).Select(_ => (float)(0.8 + 0.4 * random.NextDouble())).ToArray();
    }

    private float[] RenderOnGpu(GpuRenderer renderer, float[] states, float[] looks, FrameIndexing indexing, out int dispatches)
    {
        using var output = RenderToBuffer(renderer, states, looks, indexing, out dispatches);
        return output.ReadToHost<float>(states.Length / renderer.Spec.StateSize * renderer.Spec.FrameFloats);
    }

    /// <summary>Renders every state into a NaN-prefilled float32 frame buffer left on the device.</summary>
    private DeviceBuffer RenderToBuffer(GpuRenderer renderer, float[] states, float[] looks, FrameIndexing indexing, out int dispatches)
    {
        int n = states.Length / renderer.Spec.StateSize;
        using var stateBuffer = Upload(states);
        using var lookBuffer = Upload(looks);
        var output = Device.CreateBuffer(n * renderer.FrameBytes(FrameFormat.Float32));
        output.Fill(float.NaN);
        using var commands = Device.CreateCommandBuffer();
        commands.Begin();
        using var job = renderer.Record(commands, stateBuffer, lookBuffer, indexing, 0, n, output, 0, FrameFormat.Float32);
        commands.End();
        commands.SubmitAndWait();
        dispatches = job.Dispatches;
        return output;
    }

    private static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            float d = MathF.Abs(a[i] - b[i]);
            if (float.IsNaN(d)) return float.NaN;   // an unwritten (NaN-prefilled) element
            max = MathF.Max(max, d);
        }
        return max;
    }

    private static IEnumerable<TestCaseData> Specs()
    {
        yield return new TestCaseData(RenderSpecs.Simple()).SetName("simple 64x64");
        yield return new TestCaseData(RenderSpecs.Double()).SetName("double 64x64");
        yield return new TestCaseData(RenderSpecs.Double(32) with { ColorJitter = 0.2f, NoiseStddev = 0.05f, Seed = 0xDEADBEEF_12345678UL })
            .SetName("double 32x32 jitter+noise");
        yield return new TestCaseData(RenderSpecs.Simple() with { Width = 48, Height = 20, CenterX = 0.3f, CenterY = -0.4f, NoiseStddev = 0.1f })
            .SetName("simple 48x20 off-centre noisy");
    }

    [TestCaseSource(nameof(Specs))]
    public void ShaderFramesMatchTheReferenceRenderer(RenderSpec spec)
    {
        using var renderer = new GpuRenderer(Device, spec);
        var states = RandomStates(spec, 24, 1);
        var indexing = new FrameIndexing(FramesPerEnv: 6, EnvBase: 3, TimeBase: 10);
        var looks = EnvLooks.Draw(spec, 3, LengthScales(4, 2));
        var expected = new float[24 * spec.FrameFloats];
        ReferenceRenderer.Render(spec, states, looks, indexing, 0, expected);
        var actual = RenderOnGpu(renderer, states, looks, indexing, out _);
        Assert.That(MaxAbsDiff(actual, expected), Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void Uint8FramesMatchTheQuantizedReference()
    {
        var spec = RenderSpecs.Double(32) with { NoiseStddev = 0.03f, ColorJitter = 0.1f };
        using var renderer = new GpuRenderer(Device, spec);
        int n = 10;
        var states = RandomStates(spec, n, 3);
        var looks = EnvLooks.Draw(spec, 0, LengthScales(n, 4));
        var reference = new float[n * spec.FrameFloats];
        ReferenceRenderer.Render(spec, states, looks, new FrameIndexing(1), 0, reference);
        var expected = new byte[reference.Length];
        ReferenceRenderer.Quantize(reference, expected);

        using var stateBuffer = Upload(states);
        using var lookBuffer = Upload(looks);
        using var output = Device.CreateBuffer(n * renderer.FrameBytes(FrameFormat.UInt8));
        output.FillBits(0xA5A5A5A5);   // a sentinel: unwritten bytes would read 165
        renderer.Render(stateBuffer, lookBuffer, new FrameIndexing(1), 0, n, output, 0, FrameFormat.UInt8);
        var actual = output.ReadToHost<byte>(expected.Length);
        int worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(2));
        Assert.That(actual.Count(b => b == 0xA5), Is.LessThan(actual.Length / 100), "sentinel left in place");
    }

    [Test]
    public void ABatchLargerThanOneBindingIsSplitAndStillMatches()
    {
        var spec = RenderSpecs.Simple(16);
        // Lower the binding limit to 5 frames (aligned down), so 23 frames need several dispatches.
        using var renderer = new GpuRenderer(Device, spec) { MaxBindingBytes = 5 * 3 * 16 * 16 * 4 };
        var states = RandomStates(spec, 23, 5);
        var looks = EnvLooks.Draw(spec, 0, 23);
        var expected = new float[23 * spec.FrameFloats];
        ReferenceRenderer.Render(spec, states, looks, new FrameIndexing(1), 0, expected);
        var actual = RenderOnGpu(renderer, states, looks, new FrameIndexing(1), out int dispatches);
        Assert.That(dispatches, Is.GreaterThanOrEqualTo(5));
        Assert.That(MaxAbsDiff(actual, expected), Is.LessThanOrEqualTo(Tolerance));
    }

    [Test]
    public void ABatchOverTheDeviceBindingLimitRendersCorrectly()
    {
        // The real limit (128 MiB on lavapipe): 2,730 float32 frames of 3×64×64 per binding, so 2,735 need two.
        var spec = RenderSpecs.Simple();
        using var renderer = new GpuRenderer(Device, spec);
        int perDispatch = renderer.FramesPerDispatch(FrameFormat.Float32), n = perDispatch + 5;
        if (n * renderer.FrameBytes(FrameFormat.Float32) > (1L << 30))
            Assert.Ignore($"{Device.Info.Name} binds up to {Device.MaxStorageBufferRange} bytes: the split is covered by the lowered-limit test");
        Assert.That(n * renderer.FrameBytes(FrameFormat.Float32), Is.GreaterThan(Device.MaxStorageBufferRange));
        var states = RandomStates(spec, n, 7);
        var looks = EnvLooks.Draw(spec, 0, n);
        using var output = RenderToBuffer(renderer, states, looks, new FrameIndexing(1), out int dispatches);
        Assert.That(dispatches, Is.EqualTo(2));
        foreach (int f in new[] { 0, perDispatch - 1, perDispatch, n - 1 })   // both sides of the split
        {
            var expected = new float[spec.FrameFloats];
            ReferenceRenderer.Render(spec, states, looks, new FrameIndexing(1), f, expected);
            var actual = output.ReadToHost<float>(spec.FrameFloats, f * renderer.FrameBytes(FrameFormat.Float32));
            Assert.That(MaxAbsDiff(actual, expected), Is.LessThanOrEqualTo(Tolerance), $"frame {f}");
        }
    }

    [Test]
    public void ARangeOfFramesLandsAtTheOutputOffset()
    {
        var spec = RenderSpecs.Simple(16);
        using var renderer = new GpuRenderer(Device, spec) { MaxBindingBytes = 2 * 3 * 16 * 16 };
        var states = RandomStates(spec, 12, 6);
        var looks = EnvLooks.Draw(spec, 0, 3);
        var indexing = new FrameIndexing(4);
        var reference = new float[5 * spec.FrameFloats];
        ReferenceRenderer.Render(spec, states, looks, indexing, 7, reference);
        var expected = new byte[reference.Length];
        ReferenceRenderer.Quantize(reference, expected);

        using var stateBuffer = Upload(states);
        using var lookBuffer = Upload(looks);
        long offset = 2 * renderer.FrameBytes(FrameFormat.UInt8);
        using var output = Device.CreateBuffer(offset + expected.Length);
        output.FillBits(0);
        renderer.Render(stateBuffer, lookBuffer, indexing, 7, 5, output, offset, FrameFormat.UInt8);
        var all = output.ReadToHost<byte>((int)output.SizeBytes);
        Assert.That(all.Take((int)offset), Has.All.EqualTo((byte)0), "bytes before the offset untouched");
        int worst = all.Skip((int)offset).Zip(expected, (a, e) => Math.Abs(a - e)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(2));
    }

    [TestCase(0.4f)]
    [TestCase(-2.5f)]
    public void ThetaComesBackFromTheShaderFrame(float theta)
    {
        var spec = RenderSpecs.Simple();
        using var renderer = new GpuRenderer(Device, spec);
        var frame = RenderOnGpu(renderer, [theta, 0f], EnvLooks.Draw(spec, 0, 1), new FrameIndexing(1), out _);
        Assert.That(FrameAnalysis.ThetaFromBobCentroid(spec, frame), Is.EqualTo(theta).Within(0.05f));
    }
}
