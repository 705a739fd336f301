namespace WeJepa.Viewer;

/// <summary>What a view run measured: frames shown and each one's time (for the benchmark's median).</summary>
public sealed record ViewResult(int Frames, double[] FrameSeconds, int Swapchains, IReadOnlyList<string> ValidationMessages)
{
    /// <summary>Median host time of each part of a frame (window runs; empty offscreen).</summary>
    public IReadOnlyList<(FrameStage Stage, double Milliseconds)> Stages { get; init; } = [];

    /// <summary>Median frames per second over the frame times; 0 without frames.</summary>
    public double MedianFps
    {
        get
        {
            var median = FrameStages.Median(FrameSeconds);
            return median > 0 ? 1 / median : 0;
        }
    }
}
