namespace WeJepa.Simulation.Datasets;

/// <summary>
/// Produces dataset episodes: physics trajectories, then their uint8 frames on demand. The Vulkan
/// simulator (<c>GpuEpisodeSource</c>) is the production implementation; <see cref="ReferenceEpisodeSource"/>
/// (C# physics + C# renderer) is the slow specification the tests compare it with.
/// </summary>
public interface IEpisodeSource : IDisposable
{
    /// <summary>Frames one render call may produce (sized to device memory and the storage-binding limit).</summary>
    int MaxFramesPerRender { get; }

    /// <summary>
    /// Throws a <see cref="WeJepa.Core.Errors.UserError"/> when one batch of <paramref name="episodes"/>
    /// × <paramref name="steps"/> frames cannot be held (device or host memory), before anything is written.
    /// </summary>
    void CheckFits(int episodes, int steps);

    /// <summary>
    /// Simulates episodes <paramref name="firstEpisode"/> .. +<paramref name="count"/> for
    /// <paramref name="steps"/> frames each; frame 0 shows the initial state, frame t the state after t steps.
    /// </summary>
    IEpisodeBatch Simulate(int firstEpisode, int count, int steps);
}

/// <summary>Trajectories of a run of episodes, and the renderer for their frames.</summary>
public interface IEpisodeBatch : IDisposable
{
    /// <summary>(count, steps, S) float32.</summary>
    float[] States { get; }

    /// <summary>(count, steps) float32: total mechanical energy of each state.</summary>
    float[] Energy { get; }

    /// <summary>
    /// Renders frames <paramref name="start"/> .. +n of the flattened (count·steps) batch as uint8
    /// (n, 3, H, W) into <paramref name="frames"/>, n = frames.Length / (3·H·W) ≤ <see cref="IEpisodeSource.MaxFramesPerRender"/>.
    /// </summary>
    void RenderFrames(int start, Span<byte> frames);
}
