using WeJepa.Core.Scenes;

namespace WeJepa.Core.Tests.Scenes;

public class SceneLoaderTests
{
    private static string ScenePath(string name) => Path.Combine(AppContext.BaseDirectory, "scenes", name);

    [TestCase("pendulum.yaml", typeof(PendulumComponent), 2)]
    [TestCase("damped.yaml", typeof(PendulumComponent), 2)]
    [TestCase("driven.yaml", typeof(PendulumComponent), 2)]
    [TestCase("double.yaml", typeof(DoublePendulumComponent), 4)]
    public void ShippedScenesLoad(string file, Type system, int stateSize)
    {
        var scene = SceneLoader.Load(ScenePath(file));
        Assert.That(scene.System, Is.InstanceOf(system));
        Assert.That(scene.StateSize, Is.EqualTo(stateSize));
        Assert.That(scene.Settings.Name, Is.EqualTo(Path.GetFileNameWithoutExtension(file)));
        Assert.That(scene.InitialState.SpecsFor(scene.System), Has.Length.EqualTo(stateSize));
    }

    [Test]
    public void DefaultSceneBindsEveryField()
    {
        var s = SceneLoader.Load(ScenePath("pendulum.yaml"));
        Assert.That(s.Settings, Is.EqualTo(new SceneSettings { Name = "pendulum", Seed = 42, Dt = 0.01, Steps = 1000, Envs = 16, Integrator = Integrator.Rk4 }));
        Assert.That(s.System, Is.EqualTo(new PendulumComponent { Length = 1.0, Mass = 1.0, Gravity = 9.81, Damping = 0.0 }));
        Assert.That(s.InitialState.SpecsFor(s.System), Is.EqualTo(new[] { new ValueSpec(-2.0, 2.0), new ValueSpec(-0.5, 0.5) }));
        Assert.That(s.Camera, Is.EqualTo(new CameraComponent { Width = 64, Height = 64, Scale = 2.5, Center = new Vec2(0, 0) }));
        Assert.That(s.Appearance.BobColor, Is.EqualTo(new Rgb(0.95, 0.45, 0.15)));
        Assert.That(s.Appearance.PivotRadius, Is.EqualTo(0.05));
        Assert.That(s.Randomization, Is.EqualTo(new RandomizationComponent()));
        Assert.That(s.SensorNoise.Stddev, Is.EqualTo(0.0));
    }

    [Test]
    public void MinimalSceneTakesDefaults()
    {
        var s = SceneLoader.Parse("objects:\n  - name: p\n    components:\n      Pendulum: {}\n", "mini.yaml");
        Assert.That(s.Settings, Is.EqualTo(new SceneSettings { Name = "mini" }));
        Assert.That(s.System, Is.EqualTo(new PendulumComponent()));
        Assert.That(s.InitialState.SpecsFor(s.System), Is.EqualTo(new[] { ValueSpec.Fixed(0), ValueSpec.Fixed(0) }));
        Assert.That(s.Camera, Is.EqualTo(new CameraComponent()));
    }

    [Test]
    public void EmptyComponentsTakeDefaultsAndDuplicatesAreStillFound()
    {
        var s = SceneLoader.Parse("objects:\n  - name: p\n    components:\n      Pendulum:\n      Camera:\n", "nulls.yaml");
        Assert.That(s.Camera, Is.EqualTo(new CameraComponent()));
        var e = Assert.Throws<WeJepa.Core.Errors.UserError>(() => SceneLoader.Parse(
            "objects:\n  - name: p\n    components:\n      Pendulum:\n      Camera:\n  - name: q\n    components:\n      Camera:\n", "twice.yaml"))!;
        Assert.That(e.Message, Is.EqualTo("twice.yaml:8:7: objects: component Camera appears 2 times; at most one per scene"));
    }

    [Test]
    public void DoubleSceneBindsInitialStateInStateOrder()
    {
        var s = SceneLoader.Load(ScenePath("double.yaml"));
        var dp = (DoublePendulumComponent)s.System;
        Assert.That((dp.L1, dp.L2, dp.M1, dp.M2), Is.EqualTo((1.0, 1.0, 1.0, 1.0)));
        Assert.That(s.InitialState.SpecsFor(dp), Is.EqualTo(new[]
            { new ValueSpec(1.5, 2.5), new ValueSpec(-1.0, 1.0), ValueSpec.Fixed(0), ValueSpec.Fixed(0) }));
    }

    [Test]
    public void DrivenAndRandomizedScenesBindTheirExtras()
    {
        var driven = (PendulumComponent)SceneLoader.Load(ScenePath("driven.yaml")).System;
        Assert.That(driven.Drive, Is.EqualTo(new Drive(12.0, 0.45)));
        var damped = SceneLoader.Load(ScenePath("damped.yaml"));
        Assert.That(damped.Randomization.LengthScale, Is.EqualTo(new ValueSpec(0.8, 1.2)));
        Assert.That(damped.Randomization.ColorJitter, Is.EqualTo(0.05));
        Assert.That(damped.SensorNoise.Stddev, Is.EqualTo(0.01));
    }

    [Test]
    public void LeapfrogIsAcceptedForTheUndampedDrivenPendulum()
    {
        var yaml = "scene: { integrator: leapfrog }\nobjects:\n  - name: p\n    components:\n      Pendulum: { drive: { amplitude: 1.0, frequency: 0.5 } }\n";
        Assert.That(SceneLoader.Parse(yaml, "lf.yaml").Settings.Integrator, Is.EqualTo(Integrator.Leapfrog));
    }

    [Test]
    public void OverridesReplaceSettings()
    {
        var s = SceneLoader.Load(ScenePath("pendulum.yaml")).With(envs: 3, steps: 7, seed: 9);
        Assert.That((s.Settings.Envs, s.Settings.Steps, s.Settings.Seed), Is.EqualTo((3, 7, 9UL)));
    }
}
