using System.Diagnostics;
using WeJepa.Simulation.Gpu;

namespace WeJepa.Simulation.Tests.Gpu;

/// <summary>
/// Throughput of the physics shader on the benchmark workload (65,536 envs × 100 RK4 steps, final state
/// only), per workgroup size. The configurations are timed in interleaved rounds so a load change on
/// the shared machine hits them alike; prints env-steps/s medians. Asserts only that every
/// configuration computes the same bits: absolute times on a shared machine prove nothing.
/// </summary>
public class PhysicsThroughputTests : PhysicsFixture
{
    [Test]
    public void WorkgroupSizesAgreeAndReportThroughput()
    {
        var scene = SceneOf(Simple, SingleInitial, "rk4", 0.01);
        const int envs = 65_536, steps = 100, rounds = 5;
        int[] workgroups = [16, 64, 256];
        var runs = workgroups.Select(w => new GpuPhysics(Device, scene, envs, options: new PhysicsOptions { WorkgroupSize = w })).ToArray();
        try
        {
            foreach (var physics in runs) physics.Step(steps);   // warm-up: pipeline compile, first touch of memory
            var seconds = workgroups.Select(_ => new List<double>()).ToArray();
            for (var r = 0; r < rounds; r++)
                for (var i = 0; i < runs.Length; i++)
                {
                    var clock = Stopwatch.StartNew();
                    runs[i].Step(steps);
                    seconds[i].Add(clock.Elapsed.TotalSeconds);
                }

            var expected = Final(runs[0], steps);
            for (var i = 0; i < runs.Length; i++)
            {
                Assert.That(Final(runs[i], steps), Is.EqualTo(expected), $"workgroup {workgroups[i]}");
                var median = seconds[i].Order().ElementAt(rounds / 2);
                TestContext.Out.WriteLine(
                    $"workgroup {workgroups[i],3}: {envs * (double)steps / median / 1e6,7:F1} M env-steps/s (median of {rounds}, {median * 1e3:F1} ms)");
            }
        }
        finally
        {
            foreach (var physics in runs) physics.Dispose();
        }
    }

    private static float[] Final(GpuPhysics physics, int steps)
    {
        physics.Reset();
        physics.Step(steps);
        return physics.ReadState();
    }
}
