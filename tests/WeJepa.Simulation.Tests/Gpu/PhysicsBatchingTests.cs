using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;

namespace WeJepa.Simulation.Tests.Gpu;

/// <summary>How GpuPhysics splits work (environments, steps, frame windows, binding limit) must not change results.</summary>
public class PhysicsBatchingTests : PhysicsFixture
{
    [Test]
    public void SplittingIntoManyDispatchesGivesIdenticalBits()
    {
        var scene = SceneOf(Driven, SingleInitial, "rk4", 0.005, LengthRandomization);
        const int envs = 101, steps = 60;
        using var whole = new GpuPhysics(Device, scene, envs);
        var expected = whole.Rollout(steps);
        using var split = new GpuPhysics(Device, scene, envs, options: new PhysicsOptions { MaxEnvsPerDispatch = 7, StepsPerDispatch = 13, WorkgroupSize = 4 });
        var actual = split.Rollout(steps);
        Assert.That(actual.States, Is.EqualTo(expected.States));
        Assert.That(actual.Energy, Is.EqualTo(expected.Energy));
    }

    [Test]
    public void FinalStateModeEndsWhereTheRecordingEnds()
    {
        var scene = SceneOf(Double, DoubleInitial, "rk4", 0.002);
        const int envs = 20, steps = 120;
        using var physics = new GpuPhysics(Device, scene, envs);
        var (states, _) = physics.Rollout(steps);
        var recordedFinal = Enumerable.Range(0, envs).SelectMany(e => states.AsSpan((e * (steps + 1) + steps) * 4, 4).ToArray()).ToArray();
        Assert.That(physics.ReadState(), Is.EqualTo(recordedFinal));
        physics.Reset();
        Assert.That(physics.CurrentStep, Is.Zero);
        physics.Step(steps);   // no recording
        Assert.That(physics.CurrentStep, Is.EqualTo(steps));
        Assert.That(physics.ReadState(), Is.EqualTo(recordedFinal));
    }

    [Test]
    public void ARolloutStreamsThroughAFrameWindow()
    {
        var scene = SceneOf(Driven, SingleInitial, "semi_implicit_euler", 0.005);
        const int envs = 9;
        using var physics = new GpuPhysics(Device, scene, envs);
        var (expected, _) = physics.Rollout(40);   // frames 0..40
        physics.Reset();
        using var window = new TrajectoryBuffers(Device, envs, 21, 2);
        physics.Step(20, window);                  // frames 0..20
        var first = window.ReadStates();
        window.FrameOffset = 20;
        physics.Step(20, window);                  // frames 20..40: time keeps running (driven)
        var second = window.ReadStates();
        for (var e = 0; e < envs; e++)
        {
            Assert.That(first.AsSpan(e * 42, 42).ToArray(), Is.EqualTo(expected.AsSpan(e * 82, 42).ToArray()));
            Assert.That(second.AsSpan(e * 42, 42).ToArray(), Is.EqualTo(expected.AsSpan(e * 82 + 40, 42).ToArray()));
        }
        Assert.Throws<ArgumentException>(() => physics.Step(1, window), "frame 41 is outside the window 20..40");
        using var wrongBatch = new TrajectoryBuffers(Device, envs + 1, 2, 2);
        Assert.That(() => physics.Step(1, wrongBatch), Throws.ArgumentException.With.Message.Contains("10 envs"));
        Assert.That(physics.CurrentStep, Is.EqualTo(40), "refused steps do not advance the clock");
    }

    [Test]
    public void ABatchStartingAtAnotherEnvironmentUsesThatEnvironmentsStreams()
    {
        var scene = SceneOf(Simple, SingleInitial, "rk4", 0.01, LengthRandomization);
        using var physics = new GpuPhysics(Device, scene, envs: 3, firstEnv: 500);
        var (states, _) = physics.Rollout(50);
        var reference = ReferenceSimulator.Run(scene, envs: 503, steps: 50);
        AssertMatches(states, reference, 500);

        physics.Reset(firstEnv: 100);   // the next shard, same buffers
        Assert.That(physics.FirstEnv, Is.EqualTo(100));
        AssertMatches(physics.Rollout(50).States, reference, 100);
    }

    private static void AssertMatches(float[] states, Trajectory reference, int firstEnv)
    {
        for (var e = 0; e < 3; e++)
        for (var k = 0; k <= 50; k += 10)
        {
            var expected = reference.State(firstEnv + e, k);
            Assert.That(states[(e * 51 + k) * 2], Is.EqualTo(expected[0]).Within(2e-5), $"env {firstEnv + e}, step {k}");
            Assert.That(states[(e * 51 + k) * 2 + 1], Is.EqualTo(expected[1]).Within(2e-5), $"env {firstEnv + e}, step {k}");
        }
    }

    /// <summary>
    /// A trajectory of 65,536 envs × 301 frames × 2 floats is 154 MiB, over lavapipe's 128 MiB binding
    /// limit (other devices get that limit imposed): it must be split, and envs on both sides of every
    /// split must still match the reference.
    /// </summary>
    [Test]
    public void ATrajectoryBiggerThanOneBindingIsSplitCorrectly()
    {
        var scene = SceneOf(Simple, SingleInitial, "leapfrog", 0.01, LengthRandomization);
        const int envs = 65_536, steps = 300, frames = steps + 1;
        var limit = Math.Min(Device.MaxStorageBufferRange, 128L << 20);
        Assert.That(4L * envs * frames * 2, Is.GreaterThan(limit), "the test needs more than one binding");
        using var physics = new GpuPhysics(Device, scene, envs, options: new PhysicsOptions { MaxBindingBytes = limit });
        using var recording = new TrajectoryBuffers(Device, envs, frames, 2);
        recording.States.Fill(float.NaN);
        recording.Energy.Fill(float.NaN);
        physics.Step(steps, recording);

        var perBinding = (int)((limit - Device.StorageBufferOffsetAlignment) / (4L * frames * 2));
        int[] probes = [0, 1, perBinding - 1, perBinding, perBinding + 1, 2 * perBinding - 1, 2 * perBinding, envs - 1];
        foreach (var env in probes.Where(e => e < envs))
        {
            var expected = new double[frames * 2];
            ReferenceSimulator.Rollout(Environments.Dynamics(scene, env), scene.Settings.Integrator, Environments.InitialState(scene, env),
                scene.Settings.Dt, steps, expected, new double[frames], new double[frames]);
            var actual = recording.States.ReadToHost<float>(frames * 2, 4L * env * frames * 2);
            for (var i = 0; i < actual.Length; i++)
                Assert.That(actual[i], Is.EqualTo(expected[i]).Within(5e-4), $"env {env}, element {i}");
        }
        Assert.That(recording.ReadStates().Count(float.IsNaN), Is.Zero, "every element of every binding is written");
        Assert.That(recording.ReadEnergy().Count(float.IsNaN), Is.Zero);
    }
}
