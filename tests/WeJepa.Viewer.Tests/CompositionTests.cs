using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.TestSupport;
using WeJepa.Viewer.Composition;
using WeJepa.Viewer.Twins;

namespace WeJepa.Viewer.Tests;

/// <summary>The composed image, offscreen (no display): tiles, bobs where the states say, the HUD.</summary>
public class CompositionTests : VulkanDeviceFixture
{
    private static Scene Scene(string name = "pendulum") => SceneLoader.Load(Repository.File("scenes", $"{name}.yaml"));

    private ViewSession Session(Scene scene, int pairs, int width, int height) =>
        new(Device, scene, pairs, [new ExactTwin(scene, pairs)], width, height, TextWriter.Null);

    private byte[] Compose(ViewSession session)
    {
        using var commands = Device.CreateCommandBuffer();
        commands.Begin();
        using (session.Record(commands))
        {
            commands.End();
            commands.SubmitAndWait();
        }
        return session.Composer.ReadRgb();
    }

    [TestCase(1, 1040, 640)]
    [TestCase(3, 901, 557)]
    public void Tiles_are_the_renderers_own_frames_of_both_systems(int pairs, int width, int height)
    {
        var scene = Scene();
        using var session = Session(scene, pairs, width, height);
        session.Tick(0.37);   // both systems advance 37 steps
        var rgb = Compose(session);
        var l = session.Composer.Layout;

        // The same states rendered by GpuRenderer alone, with the looks the composer gives each half.
        var states = session.Pairs.TrueStates.ToArray().Concat(session.Pairs.LearnedStates.ToArray()).ToArray();
        var spec = session.Composer.TileSpec;
        var looks = EnvLooks.Draw(spec, 0, session.Pairs.LengthScales);
        var all = looks.Concat(looks).ToArray();
        var (r, g, b) = ViewColors.Rgb(session.Composer.Colors.Learned);
        for (var e = pairs; e < 2 * pairs; e++) (all[e * 16 + 6], all[e * 16 + 7], all[e * 16 + 8]) = ((float)r, (float)g, (float)b);
        using var stateBuffer = Device.CreateBuffer(4L * states.Length);
        stateBuffer.Upload<float>(states);
        using var lookBuffer = Device.CreateBuffer(4L * all.Length);
        lookBuffer.Upload<float>(all);
        using var renderer = new GpuRenderer(Device, spec);
        using var frames = Device.CreateBuffer(renderer.FrameBytes(FrameFormat.UInt8) * 2 * pairs);
        renderer.Render(stateBuffer, lookBuffer, new FrameIndexing(FramesPerEnv: 1), 0, 2 * pairs, frames, 0, FrameFormat.UInt8);
        var expected = frames.ReadToHost<byte>((int)frames.SizeBytes);

        var plane = l.Tile * l.Tile;
        var labelRows = l.CellH + l.CellH;   // the "true"/"learned" labels are drawn over the tiles' first text rows
        for (var f = 0; f < 2 * pairs; f++)
        {
            var (tx, ty) = l.TileOrigin(f % pairs, learned: f >= pairs);
            var mismatches = 0;
            for (var y = labelRows; y < l.Tile; y++)
                for (var x = 0; x < l.Tile; x++)
                    for (var c = 0; c < 3; c++)
                        if (rgb[3 * ((ty + y) * width + tx + x) + c] != expected[(f * 3 + c) * plane + y * l.Tile + x]) mismatches++;
            Assert.That(mismatches, Is.Zero, $"tile {f}");
        }
    }

    [Test]
    public void Bobs_are_drawn_at_the_angles_of_physics_and_twin_and_the_hud_is_written()
    {
        var scene = Scene();
        using var session = Session(scene, 1, 800, 500);
        session.Tick(0.5);
        var rgb = Compose(session);
        var l = session.Composer.Layout;
        var spec = session.Composer.TileSpec;
        var colors = session.Composer.Colors;
        var (trueTheta, n1) = BobFinder.Angle(rgb, l.Width, l, 0, false, BobFinder.Bytes(scene.Appearance.BobColor), spec.Scale, spec.CenterX, spec.CenterY);
        var (learnedTheta, n2) = BobFinder.Angle(rgb, l.Width, l, 0, true, BobFinder.Bytes(colors.Learned), spec.Scale, spec.CenterX, spec.CenterY);
        Assert.That(n1, Is.GreaterThan(50));
        Assert.That(n2, Is.GreaterThan(50));
        Assert.That(session.Pairs.Step, Is.EqualTo(50));
        Assert.That(BobFinder.AngleGap(trueTheta, session.Pairs.TrueStates[0]), Is.LessThan(0.03));
        Assert.That(BobFinder.AngleGap(learnedTheta, session.Pairs.LearnedStates[0]), Is.LessThan(0.03));
        Assert.That(BobFinder.Count(rgb, l.Width, 0, l.HudTop, l.ChartX, l.Height, colors.Text), Is.GreaterThan(500), "HUD text");
        Assert.That(BobFinder.Count(rgb, l.Width, l.ChartX, l.ChartY, l.ChartX + l.ChartW, l.ChartY + l.ChartH, colors.Learned), Is.GreaterThan(0), "strip chart");
    }

    [Test]
    public void Reset_kick_and_model_cycle_act_on_both_systems()
    {
        var scene = Scene();
        using var session = new ViewSession(Device, scene, 2, [new ExactTwin(scene, 2), new ExactTwin(scene, 2)], 640, 400, TextWriter.Null);
        session.Tick(0.2);
        session.Apply(ViewAction.Reset);
        Assert.That(session.Pairs.Step, Is.Zero);
        Assert.That(session.Pairs.TrueStates.ToArray(), Is.EqualTo(session.Pairs.LearnedStates.ToArray()));
        var initial = GpuPhysics.InitialStates(scene.With(seed: scene.Settings.Seed + 1), 2);
        Assert.That(session.Pairs.TrueStates.ToArray(), Is.EqualTo(initial), "reset 1 draws with seed + 1");
        session.Apply(ViewAction.Kick);
        Assert.That(session.Pairs.TrueStates[1], Is.EqualTo(initial[1] + ViewSession.KickOmega).Within(1e-6));
        Assert.That(session.Pairs.LearnedStates[3], Is.EqualTo(initial[3] + ViewSession.KickOmega).Within(1e-6));
        session.Apply(ViewAction.TogglePause);
        session.Tick(0.3);
        Assert.That(session.Pairs.Step, Is.Zero, "paused");
        session.Apply(ViewAction.TogglePause);
        session.Tick(0.3);
        Assert.That(session.Pairs.Step, Is.EqualTo(30));
        session.Pairs.Hold(1, 0.5f);
        session.Pairs.Release(1);
        Assert.That(session.Pairs.LearnedStates[2], Is.EqualTo(0.5f));
        Assert.That(session.Pairs.TrueStates[2], Is.EqualTo(0.5f));
    }
}

/// <summary>Frames that draw only what changed equal frames drawn whole, through resets, kicks and drags.</summary>
public class ChangedRegionTests : VulkanDeviceFixture
{
    [TestCase("pendulum", 2)]
    [TestCase("double", 3)]
    public void Drawing_only_what_changed_gives_the_whole_frame(string name, int pairs)
    {
        var scene = SceneLoader.Load(Repository.File("scenes", $"{name}.yaml"));
        using var partial = new ViewSession(Device, scene, pairs, [new ExactTwin(scene, pairs)], 720, 420, TextWriter.Null);
        using var whole = new ViewSession(Device, scene, pairs, [new ExactTwin(scene, pairs)], 720, 420, TextWriter.Null);
        using var commands = Device.CreateCommandBuffer();
        byte[] Frame(ViewSession s)
        {
            commands.Begin();
            using (s.Record(commands))
            {
                commands.End();
                commands.SubmitAndWait();
            }
            return s.Composer.ReadRgb();
        }
        for (var frame = 0; frame < 24; frame++)
        {
            foreach (var s in new[] { partial, whole })
            {
                if (frame == 8) s.Apply(ViewAction.Reset);
                if (frame == 12) s.Apply(ViewAction.Kick);
                if (frame == 16) s.Pairs.Hold(pairs - 1, 2.5f);
                if (frame == 18) s.Pairs.Release(pairs - 1);
                s.Tick(0.05);
            }
            whole.Composer.Invalidate();
            var expected = Frame(whole);
            var got = Frame(partial);
            // The camera on a rectangle puts pixel centres where the whole tile's camera does up to float rounding,
            // so an anti-aliased edge byte may round the other way: at most one level, on a handful of bytes.
            var differing = Enumerable.Range(0, got.Length).Where(i => got[i] != expected[i]).ToList();
            Assert.That(differing.Select(i => Math.Abs(got[i] - expected[i])), Has.All.LessThanOrEqualTo(1), $"frame {frame}");
            Assert.That(differing, Has.Count.LessThanOrEqualTo(8), $"frame {frame}: bytes differing from the whole frame");
        }
        Assert.That(partial.Composer.FullFrames, Is.EqualTo(1), "only the first frame drawn whole");
        Assert.That(whole.Composer.FullFrames, Is.EqualTo(24));
    }

    [Test]
    public void A_box_holds_the_pendulum_and_is_quad_aligned()
    {
        var scene = SceneLoader.Load(Repository.File("scenes", "pendulum.yaml"));
        var spec = RenderSpec.FromScene(scene) with { Width = 512, Height = 512 };
        var down = ChangedRegions.Of(spec, [0f, 0f], 1f);
        var pixel = spec.Scale / spec.Width;
        Assert.That(down.X0 % 4, Is.Zero);
        Assert.That(down.X1 % 4, Is.Zero);
        // Pivot at the tile's centre, bob one metre below: the box spans the bob's radius around the rod, and no more than 2 px beyond.
        Assert.That(down.Y1, Is.EqualTo(256 + (1 + spec.BobRadius) / pixel).Within(3));
        Assert.That(down.Y0, Is.EqualTo(256 - Math.Max(spec.PivotRadius, spec.BobRadius) / pixel).Within(3));
        Assert.That(down.Width, Is.LessThan(2 * spec.BobRadius / pixel + 12));
        Assert.That(ChangedRegions.Of(spec, [float.NaN, 0f], 1f), Is.EqualTo(new ChangedRegions.Box(0, 0, 512, 512)), "a diverged state redraws its tile");
    }
}
