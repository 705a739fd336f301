using System.CommandLine;
using System.Globalization;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;
using WeJepa.Viewer;
using WeJepa.Viewer.Composition;
using WeJepa.Viewer.Twins;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa view</c>: the true pendulums and their learned twins side by side, in a window (GLFW +
/// Vulkan swapchain) or offscreen into a screenshot / GIF; <c>--bench</c> measures frame pacing.
/// </summary>
public sealed class ViewCommand : ICliCommand
{
    /// <summary>The benchmark's workload: 600 frames of one pair of 512×512 tiles, no vsync.</summary>
    public const int BenchFrames = 600, BenchTile = 512;
    public const double BenchTargetFps = 60;

    public Command Build()
    {
        var scene = new Option<string?>("--scene") { Description = "Scene file (.yaml; default: the embedded scenes/pendulum.yaml)" };
        var envs = new Option<int>("--envs") { Description = "Pairs (true | learned) shown in a grid", DefaultValueFactory = _ => 1 };
        var model = new Option<string?>("--model")
        {
            Description = "The twin's kind: exact (the scene's own equations, double: the reference) or hnn | dhnn | lnn | mlp (with --checkpoint, " +
                          "which must hold that kind); default: the checkpoints' kind, else the scene's LearnedDynamics component, else exact",
        };
        var checkpoints = new Option<string[]>("--checkpoint")
        {
            Description = "A trained model (a train dynamics run folder or its model.safetensors); repeat it to cycle between several with M",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var device = new Option<string>("--device") { Description = "Engine device for trained twins: auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var size = new Option<string?>("--size") { Description = "Window / image size WxH (default 1040x640)" };
        var paused = new Option<bool>("--paused") { Description = "Start paused" };
        var frames = new Option<int?>("--frames") { Description = "Offscreen: render N frames (1/60 s of simulated time each), no display needed" };
        var screenshot = new Option<string?>("--screenshot") { Description = "Offscreen: write the last frame as PNG" };
        var record = new Option<string?>("--record") { Description = "Offscreen: write the frames as a GIF (every second frame, 25 frames/s)" };
        var bench = new Option<bool>("--bench") { Description = $"Frame pacing: {BenchFrames} frames of 2 x {BenchTile}x{BenchTile} in a window without vsync (give --checkpoint for a trained twin); median fps and median ms per frame stage" };
        var maxFrames = new Option<int?>("--max-frames") { Description = "Window: close after N presented frames" };
        var validation = new Option<bool>("--validation") { Description = "Vulkan validation layer on (also WEJEPA_VULKAN_VALIDATION=1); any message fails the run (exit 1)" };
        var gpu = new Option<string?>("--gpu") { Description = "Vulkan device: index or name substring (default: WEJEPA_GPU, else the best)" };
        var command = new Command("view",
            "Watch the true pendulum and its learned twin side by side, started from the same state, with energies, drift and a strip chart.\n" +
            "Controls:\n" + Controls.HelpText + "\n" +
            "Without a display, --frames N --screenshot F.png and --record F.gif render the same picture offscreen; " +
            "a window needs DISPLAY or WAYLAND_DISPLAY (or xvfb-run -a -s \"-screen 0 1280x800x24\").");
        foreach (var o in new Option[] { scene, envs, model, checkpoints, device, size, paused, frames, screenshot, record, bench, maxFrames, validation, gpu })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            var (loaded, _) = SceneInput.Load(parse.GetValue(scene));
            var pairs = parse.GetValue(envs);
            if (pairs is < 1 or > 64) throw new UserError($"--envs: must be in 1..64, got {pairs}");
            var isBench = parse.GetValue(bench);
            var (w, h) = isBench ? ViewLayout.WindowFor(pairs: 1, BenchTile) : ParseSize(parse.GetValue(size));
            using var twins = LearnedTwins.Choose(loaded, isBench ? 1 : pairs, parse.GetValue(model), parse.GetValue(checkpoints) ?? [],
                () => DeviceOption.Open(parse.GetValue(device)!));
            var offscreenFrames = parse.GetValue(frames);
            if (offscreenFrames is < 1) throw new UserError($"--frames: must be ≥ 1, got {offscreenFrames}");
            var png = parse.GetValue(screenshot);
            var gif = parse.GetValue(record);
            if (png is not null && offscreenFrames is null && gif is null)
                throw new UserError("--screenshot needs --frames N (offscreen); in a window press S");
            var options = new ViewOptions
            {
                Scene = loaded, Pairs = isBench ? 1 : pairs, Twins = twins.All, Width = w, Height = h,
                Paused = parse.GetValue(paused), Frames = offscreenFrames ?? (gif is not null ? 120 : null), Screenshot = png, Record = gif,
                MaxFrames = isBench ? BenchFrames : parse.GetValue(maxFrames), Vsync = !isBench,
                Validation = parse.GetValue(validation), Gpu = parse.GetValue(gpu),
            };
            var result = Viewer.Viewer.Run(options, Console.Out);
            if (isBench) Console.WriteLine(BenchRow(result, twins.All[0].Name));
            if (result.ValidationMessages.Count > 0)
            {
                Console.Error.WriteLine($"error: the Vulkan validation layer reported {result.ValidationMessages.Count} message(s):");
                foreach (var m in result.ValidationMessages) Console.Error.WriteLine("  " + m);
                return ExitCodes.Internal;
            }
            return 0;
        });
        return command;
    }

    private static string BenchRow(ViewResult r, string twin) =>
        $"view bench: {r.FrameSeconds.Length} frames of 2 x {BenchTile}x{BenchTile}, twin {twin}, median " +
        $"{r.MedianFps.ToString("0.0", CultureInfo.InvariantCulture)} fps (target >= {BenchTargetFps}: {(r.MedianFps >= BenchTargetFps ? "met" : "not met")})\n" +
        "  median ms per frame: " + string.Join(", ", r.Stages.Select(s => $"{s.Stage.ToString().ToLowerInvariant()} {s.Milliseconds.ToString("0.00", CultureInfo.InvariantCulture)}"));

    private static (int Width, int Height) ParseSize(string? text)
    {
        if (text is null) return (1040, 640);
        var parts = text.Split('x', 'X');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var h) && w is >= 64 and <= 8192 && h is >= 64 and <= 8192)
            return (w, h);
        throw new UserError($"--size: expected WxH with each in 64..8192 (e.g. 1040x640), got \"{text}\"");
    }
}
