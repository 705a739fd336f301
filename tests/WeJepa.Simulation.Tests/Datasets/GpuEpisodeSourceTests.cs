using WeJepa.Simulation.Datasets;
using WeJepa.Simulation.Tests.Rendering;

namespace WeJepa.Simulation.Tests.Datasets;

/// <summary>The Vulkan episode source against the C# reference source on the same plan.</summary>
public class GpuEpisodeSourceTests : GpuFixture
{
    [Test]
    public void GpuEpisodesMatchTheReferenceEpisodes()
    {
        var plan = DatasetFixture.Plan(episodes: 3, steps: 30);
        using var gpu = new GpuEpisodeSource(Device, plan.Scene);
        using var reference = new ReferenceEpisodeSource(plan.Scene);
        // Episodes 1 and 2 (not 0): the env offset must reach physics, looks and noise alike.
        using var g = gpu.Simulate(1, 2, plan.Steps);
        using var r = reference.Simulate(1, 2, plan.Steps);

        // float32 RK4 on the device vs double on the host, over 29 steps of 0.02 s.
        Assert.That(g.States.Zip(r.States, (a, b) => MathF.Abs(a - b)).Max(), Is.LessThan(1e-4f));
        Assert.That(g.Energy.Zip(r.Energy, (a, b) => MathF.Abs(a - b)).Max(), Is.LessThan(1e-4f));

        int n = 2 * plan.Steps, bytes = n * plan.FrameBytes;
        var (fg, fr) = (new byte[bytes], new byte[bytes]);
        fg.AsSpan().Fill(0xA5);
        for (int start = 0; start < n; start += 7)   // odd chunks: ranges that cross episode boundaries
        {
            int count = Math.Min(7, n - start);
            g.RenderFrames(start, count, fg.AsSpan(start * plan.FrameBytes, count * plan.FrameBytes));
        }
        for (int start = 0; start < n; start += reference.MaxFramesPerRender)
        {
            int count = Math.Min(reference.MaxFramesPerRender, n - start);
            r.RenderFrames(start, count, fr.AsSpan(start * plan.FrameBytes, count * plan.FrameBytes));
        }
        int worst = fg.Zip(fr, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(2), "uint8 frames within 2 levels (float rounding of the states and the SDF)");
    }
}
