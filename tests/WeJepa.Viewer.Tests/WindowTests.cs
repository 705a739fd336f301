using System.Globalization;
using System.Text.RegularExpressions;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Rendering;
using WeJepa.TestSupport;
using WeJepa.Viewer.Composition;

namespace WeJepa.Viewer.Tests;

/// <summary>
/// The real window under Xvfb: `wejepa view` presents through its swapchain, keys are sent with xdotool,
/// screenshots are taken from the X server (xwd), and the bobs are measured in them against the states
/// the viewer prints. The validation layer is on: any message makes the run exit 1.
/// </summary>
[NonParallelizable]
public partial class WindowTests
{
    private const int Width = 800, Height = 500;

    [Test]
    public void Window_presents_the_states_reacts_to_keys_mouse_and_resize_and_exits_0()
    {
        using var x = XServer.Start();
        using var view = new ViewerProcess(x.Display, $"view --paused --size {Width}x{Height} --validation");
        Assert.That(view.WaitFor("presented first frame"), Does.EndWith("validation on"));
        var window = x.Text("xdotool", "search --sync --name \"WeJepa.Sim view\"").Split('\n')[0];
        x.Run("xdotool", $"mousemove --window {window} 5 5");   // the pointer gives the window the keyboard (no window manager)

        // Run for a moment, pause: the screenshot must show both bobs at the printed angles.
        x.Run("xdotool", "key space");
        view.WaitFor("resumed");
        Thread.Sleep(600);
        x.Run("xdotool", "key space");
        var paused = State(view.WaitFor("paused at step"));
        Assert.That(paused.Step, Is.GreaterThan(0), "the simulation advanced while running");
        CheckBobs(x, window, paused, Width, Height);

        x.Run("xdotool", "key r");
        var reset = State(view.WaitFor("reset 1"));
        Assert.That(reset.TrueTheta, Is.Not.EqualTo(paused.TrueTheta));
        Assert.That(reset.LearnedTheta, Is.EqualTo(reset.TrueTheta), "both restart from one shared state");
        CheckBobs(x, window, reset, Width, Height);

        x.Run("xdotool", "key k");
        var kicked = State(view.WaitFor("kick"));
        Assert.That(kicked.TrueOmega, Is.EqualTo(reset.TrueOmega + ViewSession.KickOmega).Within(1e-5));
        Assert.That(kicked.LearnedOmega, Is.EqualTo(reset.LearnedOmega + ViewSession.KickOmega).Within(1e-5));

        x.Run("xdotool", $"windowsize {window} 900 560");
        view.WaitFor("swapchain 2: 900x560");
        Thread.Sleep(300);
        CheckBobs(x, window, kicked, 900, 560);

        // Drag the true bob to θ = 1 (paused: it stays there); on release the learned one restarts from it.
        var scene = SceneLoader.Load(Repository.File("scenes", "pendulum.yaml"));
        var spec = RenderSpec.FromScene(scene);
        var layout = ViewLayout.For(900, 560, 1);
        var (px, py) = layout.PivotPixel(0, learned: false, spec.Scale, spec.CenterX, spec.CenterY);
        var perWorld = layout.Tile / spec.Scale;
        int At(double theta, bool y) => (int)Math.Round(y ? py + Math.Cos(theta) * 0.8 * perWorld : px + Math.Sin(theta) * 0.8 * perWorld);
        x.Run("xdotool", $"mousemove --window {window} {At(-0.5, false)} {At(-0.5, true)} mousedown 1");
        Thread.Sleep(200);
        x.Run("xdotool", $"mousemove --window {window} {At(1.0, false)} {At(1.0, true)}");
        Thread.Sleep(300);
        x.Run("xdotool", "mouseup 1");
        var released = State(view.WaitFor("released pair 0"));
        Assert.That(released.TrueTheta, Is.EqualTo(1.0).Within(0.02), "the true bob follows the mouse");
        Assert.That(released.TrueOmega, Is.Zero, "held at rest");
        Assert.That(released.LearnedTheta, Is.EqualTo(released.TrueTheta), "the learned one restarts from the true state");
        CheckBobs(x, window, released, 900, 560);

        x.Run("xdotool", "key Escape");
        Assert.That(view.WaitForExit(), Is.Zero, view.Errors);
        Assert.That(view.Errors, Is.Empty, "stderr (validation messages are printed there)");
    }

    [Test]
    public void M_cycles_between_the_given_checkpoints_and_each_is_shown_from_the_true_state()
    {
        using var x = XServer.Start();
        var (hnn, mlp) = (TinyCheckpoints.Folder("hnn"), TinyCheckpoints.Folder("mlp"));
        using var view = new ViewerProcess(x.Display, $"view --paused --size {Width}x{Height} --validation --checkpoint {hnn} --checkpoint {mlp}");
        Assert.That(view.WaitFor("model: "), Is.EqualTo("model: HNN hnn (M: 2 models)"));
        view.WaitFor("presented first frame");
        var window = x.Text("xdotool", "search --sync --name \"WeJepa.Sim view\"").Split('\n')[0];
        x.Run("xdotool", $"mousemove --window {window} 5 5");

        x.Run("xdotool", "key space");
        view.WaitFor("resumed");
        Thread.Sleep(400);
        x.Run("xdotool", "key space");
        var ran = State(view.WaitFor("paused at step"));
        Assert.That(ran.LearnedTheta, Is.Not.EqualTo(ran.TrueTheta), "the tiny HNN drifts away from the physics");

        x.Run("xdotool", "key m");
        var line = view.WaitFor("model: ");
        Assert.That(line, Does.StartWith($"model: MLP mlp at step {ran.Step}: "));
        var cycled = State(line);
        Assert.That(cycled.LearnedTheta, Is.EqualTo(cycled.TrueTheta), "the next model starts from the true state");
        Assert.That(cycled.TrueTheta, Is.EqualTo(ran.TrueTheta));
        CheckBobs(x, window, cycled, Width, Height);

        x.Run("xdotool", "key m");
        Assert.That(view.WaitFor("model: "), Does.StartWith("model: HNN hnn at step"));
        x.Run("xdotool", "key Escape");
        Assert.That(view.WaitForExit(), Is.Zero, view.Errors);
        Assert.That(view.Errors, Is.Empty, "stderr (validation messages are printed there)");
    }

    private sealed record Printed(long Step, double TrueTheta, double TrueOmega, double LearnedTheta, double LearnedOmega);

    [GeneratedRegex(@"step (?<step>\d+)|true theta=(?<tt>\S+) omega=(?<to>\S+) \| learned theta=(?<lt>\S+) omega=(?<lo>\S+)")]
    private static partial Regex StateLine();

    private static Printed State(string line)
    {
        var matches = StateLine().Matches(line);
        double D(string group) => double.Parse(matches.Last(m => m.Groups[group].Success).Groups[group].Value, CultureInfo.InvariantCulture);
        var step = matches.FirstOrDefault(m => m.Groups["step"].Success)?.Groups["step"].Value;
        return new Printed(step is null ? 0 : long.Parse(step, CultureInfo.InvariantCulture), D("tt"), D("to"), D("lt"), D("lo"));
    }

    private static void CheckBobs(XServer x, string window, Printed state, int width, int height)
    {
        Thread.Sleep(300);   // a few frames presented since the event
        var (rgb, w, h) = x.Screenshot(window);
        Assert.That((w, h), Is.EqualTo((width, height)));
        var scene = SceneLoader.Load(Repository.File("scenes", "pendulum.yaml"));
        var spec = RenderSpec.FromScene(scene);
        var layout = ViewLayout.For(w, h, 1);
        var colors = new ViewColors();
        var (trueTheta, n1) = BobFinder.Angle(rgb, w, layout, 0, false, BobFinder.Bytes(scene.Appearance.BobColor), spec.Scale, spec.CenterX, spec.CenterY);
        var (learnedTheta, n2) = BobFinder.Angle(rgb, w, layout, 0, true, BobFinder.Bytes(colors.Learned), spec.Scale, spec.CenterX, spec.CenterY);
        Assert.That(n1, Is.GreaterThan(50), "true bob pixels");
        Assert.That(n2, Is.GreaterThan(50), "learned bob pixels");
        Assert.That(BobFinder.AngleGap(trueTheta, state.TrueTheta), Is.LessThan(0.03), "true bob angle");
        Assert.That(BobFinder.AngleGap(learnedTheta, state.LearnedTheta), Is.LessThan(0.03), "learned bob angle");
        Assert.That(BobFinder.Count(rgb, w, 0, layout.HudTop, layout.ChartX, h, colors.Text), Is.GreaterThan(500), "HUD text");
    }
}
