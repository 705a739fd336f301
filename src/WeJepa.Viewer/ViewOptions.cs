using WeJepa.Core.Scenes;
using WeJepa.Viewer.Twins;

namespace WeJepa.Viewer;

/// <summary>What <c>wejepa view</c> shows and where (a window, or files without a display).</summary>
public sealed record ViewOptions
{
    public required Scene Scene { get; init; }
    /// <summary>Pairs (true | learned) in the grid.</summary>
    public int Pairs { get; init; } = 1;
    /// <summary>The learned twins M cycles through; the first is shown first.</summary>
    public required IReadOnlyList<ILearnedTwin> Twins { get; init; }
    public int Width { get; init; } = 1040;
    public int Height { get; init; } = 640;
    /// <summary>Start paused (tests and screenshots of the initial state).</summary>
    public bool Paused { get; init; }
    /// <summary>Offscreen: render this many frames at 60 frames per simulated-time second, then stop.</summary>
    public int? Frames { get; init; }
    public string? Screenshot { get; init; }
    public string? Record { get; init; }
    /// <summary>Window mode: stop after this many presented frames (the benchmark, tests).</summary>
    public int? MaxFrames { get; init; }
    /// <summary>Wait for the display (FIFO); off for the benchmark.</summary>
    public bool Vsync { get; init; } = true;
    /// <summary>Open the Vulkan validation layer (also <c>WEJEPA_VULKAN_VALIDATION=1</c>); any message fails the run.</summary>
    public bool Validation { get; init; }
    public string? Gpu { get; init; }
    /// <summary>Where the S key writes screenshots.</summary>
    public string ScreenshotFolder { get; init; } = ".";

    /// <summary>Offscreen when asked to write files; a window otherwise.</summary>
    public bool Offscreen => Frames is not null || Record is not null;
}
