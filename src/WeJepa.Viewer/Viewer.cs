using System.Diagnostics;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Native.Glfw;
using WeJepa.Viewer.Window;
using WeJepa.Vulkan;
using WeJepa.Vulkan.Presentation;

namespace WeJepa.Viewer;

/// <summary>
/// Runs a <see cref="ViewSession"/>: in a GLFW window presenting through a Vulkan swapchain, or offscreen
/// into a screenshot and/or a GIF. The simulation advances on the fixed-step clock; in a window by the
/// real time between frames, offscreen by 1/60 s of simulated time per frame (deterministic files).
/// </summary>
public static class Viewer
{
    /// <summary>Simulated seconds per offscreen frame.</summary>
    public const double OffscreenFrameSeconds = 1.0 / 60;
    /// <summary>Host time a window frame may spend stepping (half a 60 Hz frame).</summary>
    public const double StepBudgetSeconds = 0.008;

    public static ViewResult Run(ViewOptions options, TextWriter events)
    {
        if (options.Offscreen) return RunOffscreen(options, events);
        if (!GlfwWindow.HasDisplay()) throw new UserError(GlfwWindow.NoDisplayMessage, ExitCodes.MissingDependency);
        return RunWindow(options, events);
    }

    private static VulkanOptions DeviceOptions(ViewOptions options, IReadOnlyList<string> instanceExtensions, IReadOnlyList<string> deviceExtensions) =>
        new VulkanOptions
        {
            Gpu = options.Gpu, Validation = options.Validation,
            InstanceExtensions = instanceExtensions, OptionalDeviceExtensions = deviceExtensions,
        }.WithEnvironment();

    private static ViewResult RunWindow(ViewOptions options, TextWriter events)
    {
        using var window = new GlfwWindow("WeJepa.Sim view", options.Width, options.Height);
        using var device = VulkanDevice.Create(DeviceOptions(options, GlfwWindow.RequiredInstanceExtensions(), [WindowPresenter.DeviceExtension]));
        var presenter = new WindowPresenter(device, window.CreateSurface(WindowPresenter.InstanceHandle(device)), window.FramebufferSize, options.Vsync);
        var (w, h) = window.FramebufferSize();
        using var session = new ViewSession(device, options.Scene, options.Pairs, options.Twins, w, h, events, options.Paused, StepBudgetSeconds)
        {
            ScreenshotFolder = options.ScreenshotFolder,
        };
        using var commands = device.CreateCommandBuffer();
        var frameTimes = new List<double>();
        var generation = 0;
        var clock = Stopwatch.StartNew();
        var last = clock.Elapsed.TotalSeconds;
        int? dragged = null;
        var stages = session.Stages;
        while (!window.ShouldClose && !session.QuitRequested && (options.MaxFrames is null || frameTimes.Count < options.MaxFrames))
        {
            window.PollEvents();
            ApplyKeys(session);
            if (session.QuitRequested) break;
            dragged = Drag(window, session, dragged);
            stages.Mark(FrameStage.Events);
            if (!presenter.Acquire())
            {
                window.WaitEvents(0.05);   // minimised, or the swapchain is being rebuilt
                stages.Restart();
                continue;
            }
            stages.Mark(FrameStage.Acquire);
            if (presenter.Generation != generation)
            {
                generation = presenter.Generation;
                session.Composer.Resize(presenter.Width, presenter.Height);
                session.Log($"swapchain {generation}: {presenter.Width}x{presenter.Height} {presenter.PresentMode}");
            }
            var now = clock.Elapsed.TotalSeconds;
            var elapsed = Math.Min(now - last, 0.25);
            last = now;
            session.Tick(elapsed);
            commands.Begin();
            using (session.Record(commands))
            {
                presenter.RecordCopy(commands, session.Composer.Image, session.Composer.Layout.Stride);
                commands.End();
                stages.Mark(FrameStage.Record);
                commands.SubmitAndWait();
                stages.Mark(FrameStage.Device);
            }
            presenter.Present();
            stages.Mark(FrameStage.Present);
            stages.EndFrame();
            if (frameTimes.Count == 0)
                session.Log($"presented first frame {presenter.Width}x{presenter.Height} on {device.Info.Name}, validation {(device.ValidationEnabled ? "on" : "off")}");
            frameTimes.Add(elapsed);
        }
        device.WaitIdle();
        var messages = device.ValidationErrors.Concat(device.ValidationWarnings).ToList();
        session.Log($"closed after {frameTimes.Count} frames");
        return new ViewResult(frameTimes.Count, [.. frameTimes.Skip(1)], generation, messages) { Stages = stages.Medians() };
    }

    private static ViewResult RunOffscreen(ViewOptions options, TextWriter events)
    {
        using var device = VulkanDevice.Create(DeviceOptions(options, [], []));
        using var session = new ViewSession(device, options.Scene, options.Pairs, options.Twins, options.Width, options.Height, events, options.Paused);
        using var commands = device.CreateCommandBuffer();
        var frames = options.Frames ?? 120;
        var layout = session.Composer.Layout;
        using var gif = options.Record is null ? null : new ImageFiles.GifRecording(layout.Width, layout.Height, frameDelayCs: 4);
        var times = new List<double>();
        for (var f = 0; f < frames; f++)
        {
            var watch = Stopwatch.StartNew();
            session.Tick(OffscreenFrameSeconds);
            commands.Begin();
            using (session.Record(commands))
            {
                commands.End();
                commands.SubmitAndWait();
            }
            // A GIF shows 25 frames/s (4 cs each): keep every second or third of the 60/s simulated frames accordingly.
            if (gif is not null && f % 2 == 0) gif.Add(session.Composer.ReadRgb());
            times.Add(watch.Elapsed.TotalSeconds);
        }
        if (options.Screenshot is { } png)
        {
            PngFile.Save(png, session.Composer.ReadRgb(), layout.Width, layout.Height);
            session.Log($"screenshot: {png} ({layout.Width}x{layout.Height}, step {session.Pairs.Step})");
        }
        if (gif is not null && options.Record is { } path)
        {
            gif.Save(path);
            session.Log($"recorded: {path} ({gif.Frames} frames, {layout.Width}x{layout.Height})");
        }
        var messages = device.ValidationErrors.Concat(device.ValidationWarnings).ToList();
        return new ViewResult(frames, [.. times], 0, messages);
    }

    private static readonly (int Key, ViewAction Action)[] KeyMap =
    [
        (Glfw.KeySpace, ViewAction.TogglePause), ('R', ViewAction.Reset), ('K', ViewAction.Kick), ('M', ViewAction.CycleModel),
        (Glfw.KeyEqual, ViewAction.Faster), (Glfw.KeyKpAdd, ViewAction.Faster),
        (Glfw.KeyMinus, ViewAction.Slower), (Glfw.KeyKpSubtract, ViewAction.Slower),
        ('S', ViewAction.Screenshot), ('H', ViewAction.ToggleHelp), (Glfw.KeyEscape, ViewAction.Quit),
    ];

    /// <summary>Applies the action of each key pressed since the last poll, in order (no allocation).</summary>
    private static void ApplyKeys(ViewSession session)
    {
        while (GlfwWindow.TryTakePress(out var key))
            foreach (var (k, action) in KeyMap)
                if (k == key)
                {
                    session.Apply(action);
                    break;
                }
    }

    /// <summary>Mouse drag of a true bob: held at the cursor's angle while the button is down, released into both on button up.</summary>
    private static int? Drag(GlfwWindow window, ViewSession session, int? dragged)
    {
        if (!window.MouseDown && dragged is null) return null;   // the cursor query is a round trip to the X server: only while dragging
        var layout = session.Composer.Layout;
        var spec = session.Composer.TileSpec;
        var (x, y) = window.Cursor();
        if (window.MouseDown)
        {
            var pair = dragged ?? layout.TrueTileAt(x, y);
            if (pair < 0) return null;
            session.Pairs.Hold(pair, (float)layout.AngleAt(pair, learned: false, spec.Scale, spec.CenterX, spec.CenterY, x, y));
            return pair;
        }
        if (dragged is { } released)
        {
            session.Pairs.Release(released);
            session.Log($"released pair {released} at step {session.Pairs.Step}: {session.StateText()}");
        }
        return null;
    }
}
