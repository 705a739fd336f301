using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Simulation.Tests.Reference;

/// <summary>The batched simulator: determinism, env independence, seeds, initial ranges, randomisation.</summary>
public class ReferenceSimulatorTests
{
    private const string Yaml = """
        scene: { seed: 5, dt: 0.01, steps: 50, envs: 4 }
        objects:
          - name: p
            components:
              Pendulum: { length: 1.0 }
              InitialState: { theta: { uniform: [-1.0, 1.0] }, omega: 0.25 }
          - name: cam
            components:
              Randomization: { length_scale: [0.5, 2.0] }
        """;

    private static Scene Scene(ulong? seed = null) => SceneLoader.Parse(Yaml, "test.yaml").With(seed: seed);

    [Test]
    public void SameSeedGivesIdenticalResults()
    {
        var a = ReferenceSimulator.Run(Scene());
        var b = ReferenceSimulator.Run(Scene());
        Assert.That(a.States, Is.EqualTo(b.States));
        Assert.That(a.Kinetic, Is.EqualTo(b.Kinetic));
    }

    [Test]
    public void DifferentSeedGivesDifferentInitialStates()
    {
        var a = ReferenceSimulator.Run(Scene(1));
        var b = ReferenceSimulator.Run(Scene(2));
        Assert.That(a.State(0, 0)[0], Is.Not.EqualTo(b.State(0, 0)[0]));
    }

    [Test]
    public void AnEnvironmentDoesNotDependOnTheNumberOfEnvironments()
    {
        var small = ReferenceSimulator.Run(Scene(), envs: 2);
        var large = ReferenceSimulator.Run(Scene(), envs: 9);
        for (var k = 0; k <= 50; k++) Assert.That(small.State(1, k).ToArray(), Is.EqualTo(large.State(1, k).ToArray()));
    }

    [Test]
    public void ShapesAndInitialStatesFollowTheScene()
    {
        var t = ReferenceSimulator.Run(Scene(), envs: 64, steps: 3);
        Assert.That((t.Envs, t.Frames, t.StateSize, t.States.Length, t.Kinetic.Length), Is.EqualTo((64, 4, 2, 64 * 4 * 2, 64 * 4)));
        var thetas = Enumerable.Range(0, 64).Select(e => t.State(e, 0)[0]).ToArray();
        Assert.That(thetas, Is.All.InRange(-1.0, 1.0));
        Assert.That(thetas.Distinct().Count(), Is.EqualTo(64));
        Assert.That(thetas.Min(), Is.LessThan(-0.5));
        Assert.That(thetas.Max(), Is.GreaterThan(0.5));
        Assert.That(Enumerable.Range(0, 64).Select(e => t.State(e, 0)[1]), Is.All.EqualTo(0.25));
    }

    [Test]
    public void LengthScaleRandomisesEachEnvironmentsRod()
    {
        var scene = Scene();
        var lengths = Enumerable.Range(0, 32).Select(e => ((PendulumDynamics)Environments.Dynamics(scene, e)).Length).ToArray();
        Assert.That(lengths, Is.All.InRange(0.5, 2.0));
        Assert.That(lengths.Distinct().Count(), Is.EqualTo(32));
        // The trajectory uses that length: its energy is that of the scaled pendulum.
        var t = ReferenceSimulator.Run(scene, envs: 3, steps: 1);
        var e2 = new PendulumDynamics(lengths[2], 1.0, 9.81).Energy(t.State(2, 1));
        Assert.That(t.Energy(2, 1), Is.EqualTo(e2));
    }

    [Test]
    public void ProgressCountsEveryEnvironmentStep()
    {
        var reports = new System.Collections.Concurrent.ConcurrentBag<long>();
        ReferenceSimulator.Run(Scene(), envs: 3, steps: 2 * ReferenceSimulator.ReportEvery + 5, progress: new Collect(reports.Add));
        Assert.That(reports.Max(), Is.EqualTo(3L * (2 * ReferenceSimulator.ReportEvery + 5)));
        Assert.That(reports, Has.Count.EqualTo(9), "three reports per environment");
    }

    private sealed class Collect(Action<long> onReport) : IProgress<long>
    {
        public void Report(long value) => onReport(value);
    }

    [Test]
    public void DefaultSceneStepsEveryEnvironment()
    {
        var scene = SceneLoader.Load(Path.Combine(AppContext.BaseDirectory, "scenes", "double.yaml"));
        var t = ReferenceSimulator.Run(scene, envs: 2, steps: 10);
        Assert.That(t.StateSize, Is.EqualTo(4));
        Assert.That(t.State(0, 10).ToArray(), Is.Not.EqualTo(t.State(0, 0).ToArray()));
        Assert.That(t.States, Has.All.Matches<double>(double.IsFinite));
    }
}
