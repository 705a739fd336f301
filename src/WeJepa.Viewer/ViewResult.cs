namespace WeJepa.Viewer;

/// <summary>What a view run measured: frames shown and each one's time (for the benchmark's median).</summary>
public sealed record ViewResult(int Frames, double[] FrameSeconds, int Swapchains, IReadOnlyList<string> ValidationMessages)
{
    /// <summary>Median frames per second over the frame times; 0 without frames.</summary>
    public double MedianFps
    {
        get
        {
            if (FrameSeconds.Length == 0) return 0;
            var sorted = FrameSeconds.Order().ToArray();
            var mid = sorted.Length / 2;
            var median = sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
            return median > 0 ? 1 / median : 0;
        }
    }
}
