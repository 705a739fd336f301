using System.Diagnostics;
using WeJepa.Simulation.Gpu;

namespace WeJepa.Simulation.Tests.Gpu;

/// <summary>
/// Throughput of the physics shader on the benchmark workload (65,536 envs × 100 RK4 steps, final state
/// only), per workgroup size. Prints env-steps/s (medians); asserts only that every configuration
/// computes the same bits, since absolute times on a shared machine prove nothing.
/// </summary>
public class PhysicsThroughputTests : PhysicsFixture
{
    [Test]
    public void WorkgroupSizesAgreeAndReportThroughput()
    {
        var scene = SceneOf(Simple, SingleInitial, "rk4", 0.01);
        const int envs = 65_536, steps = 100, repeats = 5;
        float[]? expected = null;
        foreach (var workgroup in new[] { 8, 32, 64, 256 })
        {
            using var physics = new GpuPhysics(Device, scene, envs, options: new PhysicsOptions { WorkgroupSize = workgroup });
            physics.Step(steps);   // warm-up: pipeline compile, first touch of memory
            var seconds = new List<double>();
            for (var r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                physics.Step(steps);
                seconds.Add(clock.Elapsed.TotalSeconds);
            }
            physics.Reset();
            physics.Step(steps);
            var final = physics.ReadState();
            expected ??= final;
            Assert.That(final, Is.EqualTo(expected), $"workgroup {workgroup}");
            var median = seconds.Order().ElementAt(repeats / 2);
            TestContext.Out.WriteLine($"workgroup {workgroup,3}: {envs * (double)steps / median / 1e6,8:F1} M env-steps/s (median of {repeats}, {median * 1e3:F1} ms)");
        }
    }
}
