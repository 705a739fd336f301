using System.Diagnostics;
using System.Globalization;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Rendering;
using WeJepa.Viewer.Composition;
using WeJepa.Viewer.Twins;
using WeJepa.Vulkan;

namespace WeJepa.Viewer;

/// <summary>
/// What the window shows and how it reacts, independent of where frames go (a swapchain or files):
/// the pairs, the fixed-step clock, the composer, the HUD text, and the actions of the controls. Every
/// event that changes the state is also printed as one line (the window tests read them).
/// </summary>
public sealed class ViewSession : IDisposable
{
    /// <summary>Angular velocity a kick adds (rad/s).</summary>
    public const float KickOmega = 1.5f;

    private readonly IReadOnlyList<ILearnedTwin> twins;
    private readonly TextWriter events;
    private readonly RenderSpec sceneSpec;
    private readonly double[] frameSeconds = new double[60];
    private int frameCount;
    private int twinIndex;
    private int screenshots;

    public PendulumPairs Pairs { get; }
    public FrameComposer Composer { get; }
    public FixedStepClock Clock { get; }
    public bool Paused { get; private set; }
    public bool ShowHelp { get; private set; }
    public bool QuitRequested { get; private set; }
    /// <summary>Frames per second over the last 60 displayed frames.</summary>
    public double Fps { get; private set; }
    /// <summary>Where each displayed frame's time goes (the window loop and <see cref="Tick"/> mark it).</summary>
    public FrameStages Stages { get; } = new();
    /// <summary>Where S writes its screenshots (view-001.png, …).</summary>
    public string ScreenshotFolder { get; init; } = ".";

    public ViewSession(VulkanDevice device, Scene scene, int pairs, IReadOnlyList<ILearnedTwin> twins, int width, int height,
        TextWriter events, bool paused = false, double? stepBudgetSeconds = null)
    {
        if (twins.Count == 0) throw new ArgumentException("at least one learned twin", nameof(twins));
        this.twins = twins;
        this.events = events;
        Paused = paused;
        sceneSpec = RenderSpec.FromScene(scene);
        Pairs = new PendulumPairs(device, scene, pairs, twins[0]);
        try
        {
            Composer = new FrameComposer(device, sceneSpec, Pairs.LengthScales, width, height);
        }
        catch
        {
            Pairs.Dispose();
            throw;
        }
        Clock = new FixedStepClock(scene.Settings.Dt, stepBudgetSeconds);
        Log($"model: {Pairs.Twin.Name}{(twins.Count > 1 ? $" (M: {twins.Count} models)" : "")}");
    }

    public void Apply(ViewAction action)
    {
        switch (action)
        {
            case ViewAction.TogglePause:
                Paused = !Paused;
                Clock.Hold();
                Log(Paused ? $"paused at step {Pairs.Step}: {StateText()}" : $"resumed at step {Pairs.Step}");
                break;
            case ViewAction.Reset:
                Pairs.Reset();
                Composer.Chart.Clear();
                Log($"reset {Pairs.Resets}: {StateText()}");
                break;
            case ViewAction.Kick:
                Pairs.Kick(KickOmega);
                Log($"kick +{KickOmega.ToString(CultureInfo.InvariantCulture)} rad/s at step {Pairs.Step}: {StateText()}");
                break;
            case ViewAction.CycleModel:
                twinIndex = (twinIndex + 1) % twins.Count;
                Pairs.Twin = twins[twinIndex];
                for (var p = 0; p < Pairs.Pairs; p++) Pairs.Release(p);   // the new model starts from the true states
                Log($"model: {Pairs.Twin.Name} at step {Pairs.Step}: {StateText()}");
                break;
            case ViewAction.Faster:
                Clock.Faster();
                Log($"speed: {SpeedText}");
                break;
            case ViewAction.Slower:
                Clock.Slower();
                Log($"speed: {SpeedText}");
                break;
            case ViewAction.ToggleHelp:
                ShowHelp = !ShowHelp;
                break;
            case ViewAction.Screenshot:
                var path = Path.Combine(ScreenshotFolder, $"view-{++screenshots:D3}.png");
                PngFile.Save(path, Composer.ReadRgb(), Composer.Layout.Width, Composer.Layout.Height);
                Log($"screenshot: {path}");
                break;
            case ViewAction.Quit:
                QuitRequested = true;
                break;
        }
    }

    /// <summary>Advances the simulation by the steps due after <paramref name="elapsedSeconds"/> of display time.</summary>
    public void Tick(double elapsedSeconds)
    {
        frameSeconds[frameCount++ % frameSeconds.Length] = elapsedSeconds;
        var n = Math.Min(frameCount, frameSeconds.Length);
        double total = 0;
        for (var i = 0; i < n; i++) total += frameSeconds[i];
        Fps = total > 0 ? n / total : 0;
        if (Paused)
        {
            Clock.Hold();
            return;
        }
        var steps = Clock.Due(elapsedSeconds);
        var watch = Stopwatch.StartNew();
        Pairs.Advance(steps, Stages);
        Clock.Measured(steps, watch.Elapsed.TotalSeconds);
    }

    /// <summary>Records this frame: gathers the states, writes the HUD, renders and composes into <see cref="FrameComposer.Image"/>.</summary>
    public IDisposable Record(CommandBuffer commands)
    {
        var trueE = Pairs.Energy(Pairs.TrueStates, 0);
        var learnedE = Pairs.Energy(Pairs.LearnedStates, 0);
        if (!Paused) Composer.Chart.Add(trueE, learnedE);
        WriteHud(trueE, learnedE);
        var states = Pairs.RecordStates(commands);
        return Composer.Record(commands, states, Pairs.TrueStates, Pairs.LearnedStates);
    }

    public void Log(string line)
    {
        events.WriteLine(line);
        events.Flush();
    }

    private string SpeedText => Clock.Speed.ToString("0.###", CultureInfo.InvariantCulture) + "x";

    /// <summary>Pair 0's states, full precision: what the window tests compare the screenshot with.</summary>
    public string StateText()
    {
        string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        var s = Pairs.StateSize;
        var t = Pairs.TrueStates[..s].ToArray();
        var l = Pairs.LearnedStates[..s].ToArray();
        return $"true theta={F(t[0])} omega={F(t[s / 2])} | learned theta={F(l[0])} omega={F(l[s / 2])}";
    }

    private void WriteHud(double trueE, double learnedE)
    {
        var text = Composer.Text;
        var l = Composer.Layout;
        text.Clear();
        var e0 = Pairs.InitialEnergy[0];
        var scale = Math.Max(Math.Abs(e0), 1e-9);
        string E(double v) => v.ToString("+0.0000;-0.0000", CultureInfo.InvariantCulture);
        string D(double v) => v.ToString("+0.00E+00;-0.00E+00", CultureInfo.InvariantCulture);
        var row = l.HudRow;
        text.Put(row, 1, $"model {Pairs.Twin.Name}", accent: true);
        text.Put(row + 1, 1, $"step {Pairs.Step}  t {Pairs.Time.ToString("0.00", CultureInfo.InvariantCulture)} s  " +
                             $"{Fps.ToString("0", CultureInfo.InvariantCulture)} fps  {SpeedText}{(Paused ? "  paused" : Clock.Behind ? "  behind" : "")}");
        var label = Pairs.Twin.Label;
        var width = Math.Max(4, label.Length);
        text.Put(row + 2, 1, $"{"true".PadRight(width)} E {E(trueE)} J  drift {D((trueE - e0) / scale)}");
        text.Put(row + 3, 1, $"{label.PadRight(width)} E {E(learnedE)} J  drift {D((learnedE - e0) / scale)}");
        text.Put(row + 4, 1, $"gap {D((learnedE - trueE) / scale)}  H help", accent: false);
        for (var p = 0; p < Pairs.Pairs; p++)
        {
            if (l.Tile < 8 * l.CellW) break;   // no labels on tiny tiles
            foreach (var learned in new[] { false, true })
            {
                var (x, y) = l.TileOrigin(p, learned);
                text.Put((y + l.CellH - 1) / l.CellH, (x + l.CellW - 1) / l.CellW, learned ? label : "true", accent: true);
            }
        }
        if (ShowHelp)
        {
            var top = Math.Max(1, l.HudRow / 2 - Controls.All.Count / 2);
            for (var i = 0; i < Controls.All.Count; i++)
            {
                var (key, what) = Controls.All[i];
                text.Put(top + i, 2, $"{key,-6} {what}", accent: true);
            }
        }
    }

    public void Dispose()
    {
        Composer.Dispose();
        Pairs.Dispose();
    }
}
