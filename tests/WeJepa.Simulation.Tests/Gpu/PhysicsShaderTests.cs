using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;

namespace WeJepa.Simulation.Tests.Gpu;

/// <summary>
/// physics.comp (float32) against the C# reference (double), every system × integrator.
/// Tolerance: float32 rounds each operation to u = 6e-8 relative; one step of states of size ≤ 5 adds
/// ≲ 10·u·5 ≈ 3e-6 (a few ulps from sin/cos included) that mostly cancels between steps; for these
/// non-chaotic orbits the error grows at most about linearly with the step count (a slightly different
/// energy shifts the phase), ~ √T to T times the per-step error: 6e-5 … 1.2e-3 over 400 steps. States
/// must agree within 5e-4 (lavapipe measures ≤ 4.1e-5, printed below) and total energy within 2e-5 of
/// its scale (measured ≤ 1.9e-6). The double pendulum is chaotic (errors grow like e^{λt}, λ of a few
/// 1/s), so it is compared over 0.5 s only.
/// </summary>
public class PhysicsShaderTests : PhysicsFixture
{
    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var integrator in new[] { "rk4", "leapfrog", "semi_implicit_euler" })
            yield return new TestCaseData("simple", Simple, SingleInitial, integrator, 0.01, 400);
        foreach (var integrator in new[] { "rk4", "semi_implicit_euler" })
        {
            yield return new TestCaseData("damped", Damped, SingleInitial, integrator, 0.01, 400);
            yield return new TestCaseData("driven", Driven, SingleInitial, integrator, 0.005, 400);
            yield return new TestCaseData("double", Double, DoubleInitial, integrator, 0.002, 250);
            yield return new TestCaseData("double_damped", DoubleDamped, DoubleInitial, integrator, 0.002, 250);
        }
        yield return new TestCaseData("driven_undamped", DrivenUndamped, SingleInitial, "leapfrog", 0.005, 400);
    }

    [TestCaseSource(nameof(Cases))]
    public void ShaderMatchesTheReference(string name, string system, string initial, string integrator, double dt, int steps)
    {
        var scene = SceneOf(system, initial, integrator, dt, LengthRandomization);
        const int envs = 37;   // not a multiple of the workgroup size: the tail must be handled
        var reference = ReferenceSimulator.Run(scene, envs, steps);
        var (states, energy) = GpuRollout(scene, envs, steps);

        var s = scene.StateSize;
        for (var e = 0; e < envs; e++)
            for (var j = 0; j < s; j++)
                Assert.That(states[e * (steps + 1) * s + j], Is.EqualTo((float)reference.States[e * (steps + 1) * s + j]),
                    "frame 0 is the reference sampler's initial state, rounded to float32");

        var total = reference.Total;
        var stateError = MaxAbsDiff(states, reference.States);
        var energyError = MaxAbsDiff(energy, total) / (total.Max(Math.Abs) + 1.0);
        TestContext.Out.WriteLine($"{name}/{integrator}: max |Δstate| = {stateError:E2}, max |ΔE|/E = {energyError:E2}");
        Assert.That(stateError, Is.LessThan(5e-4));
        Assert.That(energyError, Is.LessThan(2e-5));
    }

    /// <summary>
    /// Energy drift of undamped systems over a long horizon: the shader must conserve energy like the
    /// reference does (same integrator error), up to float32 roundoff accumulating as a random walk.
    /// </summary>
    [TestCase("simple", Simple, SingleInitial, "rk4", 0.01, 3000)]
    [TestCase("simple", Simple, SingleInitial, "leapfrog", 0.01, 3000)]
    [TestCase("simple", Simple, SingleInitial, "semi_implicit_euler", 0.01, 3000)]
    [TestCase("double", Double, DoubleInitial, "rk4", 0.002, 3000)]
    public void ConservesEnergyLikeTheReference(string name, string system, string initial, string integrator, double dt, int steps)
    {
        var scene = SceneOf(system, initial, integrator, dt);
        const int envs = 16;
        var reference = ReferenceSimulator.Run(scene, envs, steps).Total;   // (N, T+1)
        var (_, energy) = GpuRollout(scene, envs, steps);
        var frames = steps + 1;
        for (var e = 0; e < envs; e++)
        {
            var e0 = reference[e * frames];
            double gpuDrift = 0, refDrift = 0;
            for (var k = 0; k < frames; k++)
            {
                gpuDrift = Math.Max(gpuDrift, Math.Abs(energy[e * frames + k] - energy[e * frames]));
                refDrift = Math.Max(refDrift, Math.Abs(reference[e * frames + k] - e0));
            }
            var floor = 2e-5 * (Math.Abs(e0) + 1.0);   // float32 roundoff over thousands of steps
            if (e == 0) TestContext.Out.WriteLine($"{name}/{integrator}: env 0 drift gpu {gpuDrift:E2}, reference {refDrift:E2}, floor {floor:E2}");
            Assert.That(gpuDrift, Is.LessThanOrEqualTo(2 * refDrift + floor), $"env {e}: E0 = {e0}");
        }
    }

    [Test]
    public void DampingDrainsEnergyLikeTheReference()
    {
        var scene = SceneOf(Damped, SingleInitial, "rk4", 0.01);
        var reference = ReferenceSimulator.Run(scene, 8, 1000).Total;
        var (_, energy) = GpuRollout(scene, 8, 1000);
        for (var e = 0; e < 8; e++)
        {
            float first = energy[e * 1001], last = energy[e * 1001 + 1000];
            Assert.That(last, Is.LessThan(0.2f * first), "e^{-0.3·10 s} leaves a few percent of the energy");
            Assert.That(last, Is.EqualTo(reference[e * 1001 + 1000]).Within(1e-3 * first + 1e-5));
        }
    }

    [TestCase("damped", Damped, SingleInitial)]
    [TestCase("double", Double, DoubleInitial)]
    public void LeapfrogOnVelocityDependentForcesIsRefused(string name, string system, string initial)
    {
        var scene = SceneOf(system, initial, "rk4", 0.01);
        scene = scene with { Settings = scene.Settings with { Integrator = Integrator.Leapfrog } };
        var e = Assert.Throws<UserError>(() => new GpuPhysics(Device, scene, 4))!;
        Assert.That(e.Message, Does.Contain("leapfrog"));
    }

    /// <summary>Runs the shader with NaN-prefilled outputs so an unwritten element cannot pass.</summary>
    private (float[] States, float[] Energy) GpuRollout(Scene scene, int envs, int steps)
    {
        using var physics = new GpuPhysics(Device, scene, envs);
        using var recording = new TrajectoryBuffers(Device, envs, steps + 1, scene.StateSize);
        recording.States.Fill(float.NaN);
        recording.Energy.Fill(float.NaN);
        physics.Step(steps, recording);
        var states = recording.ReadStates();
        var energy = recording.ReadEnergy();
        Assert.That(states.Count(float.IsNaN) + energy.Count(float.IsNaN), Is.Zero, "every frame must be written");
        return (states, energy);
    }

    private static double MaxAbsDiff(float[] actual, double[] expected)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        var max = 0.0;
        for (var i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        return max;
    }
}
