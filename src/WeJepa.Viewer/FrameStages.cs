using System.Diagnostics;

namespace WeJepa.Viewer;

/// <summary>The parts of one displayed frame, in loop order (what <c>wejepa view --bench</c> breaks the frame time into).</summary>
public enum FrameStage
{
    /// <summary>Window events, keys and the mouse.</summary>
    Events,
    /// <summary>Waiting for a swapchain image (and rebuilding the swapchain).</summary>
    Acquire,
    /// <summary>The true pendulums' fixed steps on the simulator's physics.</summary>
    Physics,
    /// <summary>The learned twin's fixed steps (the engine's batched rollout for a trained model).</summary>
    Twin,
    /// <summary>Energies, HUD text and chart, recording the commands.</summary>
    Record,
    /// <summary>Submit and wait: render.comp, compose.comp and the copy into the swapchain image.</summary>
    Device,
    /// <summary>vkQueuePresentKHR (on Xvfb: the driver's copy to the X server).</summary>
    Present,
}

/// <summary>
/// Host time per <see cref="FrameStage"/> of every displayed frame: <see cref="Mark"/> charges the time since the
/// previous mark to a stage; <see cref="EndFrame"/> files the frame. No allocation per frame after the first few.
/// </summary>
public sealed class FrameStages
{
    private static readonly FrameStage[] All = Enum.GetValues<FrameStage>();
    private readonly double[] current = new double[All.Length];
    private readonly List<double>[] frames = [.. All.Select(_ => new List<double>(1024))];
    private long last = Stopwatch.GetTimestamp();

    /// <summary>Starts timing from now (the time since the last mark is charged to nobody).</summary>
    public void Restart() => last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the previous mark to <paramref name="stage"/>.</summary>
    public void Mark(FrameStage stage)
    {
        var now = Stopwatch.GetTimestamp();
        current[(int)stage] += Stopwatch.GetElapsedTime(last, now).TotalSeconds;
        last = now;
    }

    /// <summary>Files this frame's stage times.</summary>
    public void EndFrame()
    {
        for (var i = 0; i < current.Length; i++) frames[i].Add(current[i]);
        Array.Clear(current);
    }

    /// <summary>Median milliseconds of each stage over the filed frames after the first <paramref name="skip"/>.</summary>
    public IReadOnlyList<(FrameStage Stage, double Milliseconds)> Medians(int skip = 1) =>
        [.. All.Select(s => (s, 1e3 * Median(frames[(int)s].Skip(skip).ToArray())))];

    public static double Median(double[] values)
    {
        if (values.Length == 0) return 0;
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}
