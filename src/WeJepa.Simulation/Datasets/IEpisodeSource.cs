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

/// <summary>
/// Trajectories of a run of episodes, and their frames rendered on demand into
/// <see cref="FrameSlots"/> slots, so the next chunk renders while the caller writes the last one.
/// </summary>
public interface IEpisodeBatch : IDisposable
{
    /// <summary>Frame slots a batch renders into: one being written out, one being rendered.</summary>
    const int FrameSlots = 2;

    /// <summary>(count, steps, S) float32.</summary>
    float[] States { get; }

    /// <summary>(count, steps) float32: total mechanical energy of each state.</summary>
    float[] Energy { get; }

    /// <summary>
    /// Starts rendering frames <paramref name="start"/> .. +<paramref name="count"/> of the flattened
    /// (count·steps) batch as uint8 (count, 3, H, W) into slot <paramref name="slot"/> (0 or 1), and may
    /// return before they are done; count ≤ <see cref="IEpisodeSource.MaxFramesPerRender"/>. The slot's
    /// previous frames are gone.
    /// </summary>
    void BeginRender(int slot, int start, int count);

    /// <summary>
    /// Waits for the slot's render and returns its frames: valid until the slot's next
    /// <see cref="BeginRender"/> or <see cref="IDisposable.Dispose"/> (the Vulkan source hands out its
    /// mapped device memory itself: no copy).
    /// </summary>
    ReadOnlySpan<byte> EndRender(int slot);

    /// <summary>Renders frames <paramref name="start"/> .. +<paramref name="count"/> and copies them into <paramref name="frames"/> (through slot 0).</summary>
    void RenderFrames(int start, int count, Span<byte> frames)
    {
        BeginRender(0, start, count);
        EndRender(0).CopyTo(frames);
    }
}
