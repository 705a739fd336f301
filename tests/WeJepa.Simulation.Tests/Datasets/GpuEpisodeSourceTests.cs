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

    [Test]
    public void RendersInFlightInBothSlotsGiveTheFramesOfOneAtATime()
    {
        var plan = DatasetFixture.Plan(episodes: 3, steps: 30);
        using var gpu = new GpuEpisodeSource(Device, plan.Scene);
        using var batch = gpu.Simulate(0, 3, plan.Steps);
        int n = 3 * plan.Steps, chunk = 7;
        var (sequential, pipelined) = (new byte[n * plan.FrameBytes], new byte[n * plan.FrameBytes]);
        for (int start = 0; start < n; start += chunk)
            batch.RenderFrames(start, Math.Min(chunk, n - start), sequential.AsSpan(start * plan.FrameBytes));
        // As DatasetWriter does: the next chunk is in flight in the other slot while one is read.
        batch.BeginRender(0, 0, chunk);
        for (int start = 0, slot = 0; start < n; start += chunk, slot ^= 1)
        {
            int count = Math.Min(chunk, n - start);
            if (start + count < n) batch.BeginRender(slot ^ 1, start + count, Math.Min(chunk, n - start - count));
            var frames = batch.EndRender(slot);
            Assert.That(frames.Length, Is.EqualTo(count * plan.FrameBytes));
            frames.CopyTo(pipelined.AsSpan(start * plan.FrameBytes));
        }
        Assert.That(pipelined, Is.EqualTo(sequential));
    }

    [Test]
    public void ABatchAfterAnotherOfTheSameShapeMatchesAFreshOne()
    {
        var plan = DatasetFixture.Plan(episodes: 4, steps: 20);
        using var reused = new GpuEpisodeSource(Device, plan.Scene);
        using (reused.Simulate(0, 2, plan.Steps)) { }   // its physics is kept for the next batch of 2 × 20
        using var second = reused.Simulate(2, 2, plan.Steps);
        using var fresh = new GpuEpisodeSource(Device, plan.Scene);
        using var expected = fresh.Simulate(2, 2, plan.Steps);
        Assert.That(second.States, Is.EqualTo(expected.States));
        Assert.That(second.Energy, Is.EqualTo(expected.Energy));
    }
}
