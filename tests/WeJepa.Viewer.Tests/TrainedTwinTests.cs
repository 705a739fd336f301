using WeJepa.Core.Scenes;
using WeJepa.TestSupport;
using WeJepa.Training.Rollouts;
using WeJepa.Viewer.Twins;

namespace WeJepa.Viewer.Tests;

/// <summary>A trained model's twin, offscreen: it follows the engine's own batched rollout, and the frame shows it there.</summary>
public class TrainedTwinTests : VulkanDeviceFixture
{
    private static Scene Scene() => SceneLoader.Load(Repository.File("scenes", "pendulum.yaml"));

    private static byte[] Compose(ViewSession session, Vulkan.CommandBuffer commands)
    {
        commands.Begin();
        using (session.Record(commands))
        {
            commands.End();
            commands.SubmitAndWait();
        }
        return session.Composer.ReadRgb();
    }

    [Test]
    public void A_trained_twin_shows_its_own_batched_rollout_and_names_the_model()
    {
        var scene = Scene();
        const int pairs = 3;
        using var twins = LearnedTwins.Choose(scene, pairs, "hnn", [TinyCheckpoints.Folder("hnn")], TinyCheckpoints.OpenEngine);
        var twin = (TrainedTwin)twins.All.Single();
        Assert.That(twin.Name, Is.EqualTo("HNN hnn"));
        using var session = new ViewSession(Device, scene, pairs, twins.All, 800, 500, TextWriter.Null);
        var initial = session.Pairs.LearnedStates.ToArray();
        using var commands = Device.CreateCommandBuffer();
        var rgb = Array.Empty<byte>();
        for (var frame = 0; frame < 40; frame++)   // 1 or 2 fixed steps per frame, all pairs in one batch
        {
            session.Tick(Viewer.OffscreenFrameSeconds);
            rgb = Compose(session, commands);
        }
        var steps = (int)session.Pairs.Step;
        Assert.That(steps, Is.EqualTo(66));

        // The same model rolled out in one call from the same states: the twin's states are its last frame, bit for bit.
        var rollout = BatchRollout.Run(twin.Model, initial, scene.Settings.Dt, steps);
        var s = scene.StateSize;
        var expected = Enumerable.Range(0, pairs).SelectMany(e => rollout.AsSpan((e * (steps + 1) + steps) * s, s).ToArray()).ToArray();
        Assert.That(session.Pairs.LearnedStates.ToArray(), Is.EqualTo(expected));
        Assert.That(session.Pairs.LearnedStates.ToArray(), Is.Not.EqualTo(session.Pairs.TrueStates.ToArray()), "a learned model, not the physics");

        // Measured in the frame: each learned bob sits at the rollout's angle.
        var l = session.Composer.Layout;
        var spec = session.Composer.TileSpec;
        for (var e = 0; e < pairs; e++)
        {
            var (theta, n) = BobFinder.Angle(rgb, l.Width, l, e, true, BobFinder.Bytes(session.Composer.Colors.Learned), spec.Scale, spec.CenterX, spec.CenterY);
            Assert.That(n, Is.GreaterThan(20), $"pair {e}: learned bob pixels");
            Assert.That(BobFinder.AngleGap(theta, expected[e * s]), Is.LessThan(0.04), $"pair {e}: learned bob angle");
        }
        var text = session.Composer.Text;
        string Row(int r) => new([.. Enumerable.Range(0, text.Cols).Select(c => text.At(r, c))]);
        Assert.That(Row(l.HudRow), Does.StartWith(" MODEL HNN HNN"));
        Assert.That(Row(l.HudRow + 3), Does.StartWith(" HNN  E "));
    }

    [Test]
    public void The_exact_twin_is_labelled_as_the_reference()
    {
        var scene = Scene();
        using var twins = LearnedTwins.Choose(scene, 1, null, [], () => throw new AssertionException("no engine for the exact twin"));
        Assert.That(twins.All.Single().Name, Does.StartWith("exact (reference"));
        Assert.That(twins.All.Single().Label, Is.EqualTo("exact"));
    }

    [TestCase("lnn", "holds a hnn, but --model says lnn")]
    [TestCase("exact", "--model exact takes no --checkpoint")]
    public void A_checkpoint_of_another_kind_is_refused(string model, string message)
    {
        var e = Assert.Throws<Core.Errors.UserError>(() =>
            LearnedTwins.Choose(Scene(), 1, model, [TinyCheckpoints.Folder("hnn")], TinyCheckpoints.OpenEngine).Dispose())!;
        Assert.That(e.Message, Does.Contain(message));
    }
}
