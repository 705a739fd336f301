namespace WeJepa.Viewer;

/// <summary>What a key does (the same actions drive the window and the tests).</summary>
public enum ViewAction
{
    TogglePause,
    Reset,
    Kick,
    CycleModel,
    Faster,
    Slower,
    Screenshot,
    ToggleHelp,
    Quit,
}

/// <summary>The controls, as --help and the on-screen help (H) list them.</summary>
public static class Controls
{
    public static readonly IReadOnlyList<(string Key, string What)> All =
    [
        ("space", "pause / resume"),
        ("R", "reset both to a new shared initial state"),
        ("K", "kick: add angular velocity to both"),
        ("mouse", "drag a true bob to set its angle; the learned one restarts from it on release"),
        ("M", "next model (when several checkpoints are given)"),
        ("+ / -", "simulation speed x2 / /2"),
        ("S", "screenshot PNG (view-NNN.png in the current folder)"),
        ("H", "show / hide this help"),
        ("Esc", "quit"),
    ];

    public static string HelpText => string.Join("\n", All.Select(c => $"  {c.Key,-6} {c.What}"));
}
