using System.Runtime.InteropServices;
using WeJepa.TestSupport;

namespace WeJepa.Simulation.Tests.Gpu;

/// <summary>
/// shaders/trig.glsl (sin32, cos32, sinCos32: one reduction modulo π, minimax polynomials) against
/// Math.Sin/Math.Cos of the same float inputs, in double. Bound: the reduction is exact to ~1 ulp of
/// the remainder and the polynomials are within 6e-9 relative / 2.4e-10 absolute, so the float32 result
/// is within 2.5e-7 of the true value over |x| ≤ 10^5 (a float32 ulp of 1 is 1.2e-7), and within 3 ulps
/// relative for small |x|, where sin x ≈ x.
/// </summary>
public class TrigTests : VulkanDeviceFixture
{
    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct Push(uint Quads);

    private float[] Run(float[] x)
    {
        using var xs = Device.CreateBuffer(4L * x.Length);
        using var ys = Device.CreateBuffer(16L * x.Length);
        xs.Upload<float>(x);
        ys.Fill(float.NaN);
        using var pipeline = Device.CreateComputePipeline("sim_test_trig", storageBuffers: 2, pushConstantBytes: 4);
        using var set = pipeline.CreateDescriptorSet(xs, ys);
        uint quads = (uint)(x.Length / 4);
        Device.Submit(c => c.Dispatch(pipeline, set, new Push(quads), (quads + 63) / 64));
        return ys.ReadToHost<float>(4 * x.Length);
    }

    [Test]
    public void SinAndCosAreWithinAFewUlpsOfTheTrueValues()
    {
        var random = new Random(5);
        var x = new List<float> { 0f, -0f, 1e-30f, -1e-20f, 1e-7f, MathF.PI / 2, MathF.PI, -MathF.PI, 3 * MathF.PI / 2, 2 * MathF.PI, 1e5f, -1e5f };
        for (int k = -64; k <= 64; k++) x.AddRange([k * MathF.PI / 2, MathF.BitIncrement(k * MathF.PI / 2), MathF.BitDecrement(k * MathF.PI / 2)]);   // quadrant edges
        while (x.Count % 4 != 0 || x.Count < 40_000)
            x.Add(x.Count % 2 == 0 ? (float)(random.NextDouble() * 20 - 10) : (float)((random.NextDouble() * 2 - 1) * Math.Pow(10, random.Next(-6, 6))));
        var xs = x.ToArray();
        var y = Run(xs);
        double worstAbs = 0, worstSmall = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            int q = i / 4, lane = i % 4;
            double sin = Math.Sin(xs[i]), cos = Math.Cos(xs[i]);
            double[] got = [y[16 * q + lane], y[16 * q + 4 + lane], y[16 * q + 8 + lane], y[16 * q + 12 + lane]];
            Assert.That(got[2], Is.EqualTo(got[0]), $"sinCos32's sin of {xs[i]} is sin32's");
            Assert.That(got[3], Is.EqualTo(got[1]), $"sinCos32's cos of {xs[i]} is cos32's");
            worstAbs = Math.Max(worstAbs, Math.Max(Math.Abs(got[0] - sin), Math.Abs(got[1] - cos)));
            if (Math.Abs(xs[i]) < 0.5 && xs[i] != 0) worstSmall = Math.Max(worstSmall, Math.Abs(got[0] - sin) / Math.Abs(sin));
            if (xs[i] == 0) Assert.That(got[0], Is.Zero.And.Not.NaN, "sin 0");
        }
        TestContext.Out.WriteLine($"max |error| {worstAbs:E2}, max relative error of sin for |x| < 0.5: {worstSmall:E2}");
        Assert.That(worstAbs, Is.LessThan(2.5e-7));
        Assert.That(worstSmall, Is.LessThan(3 * 1.2e-7));
    }
}
