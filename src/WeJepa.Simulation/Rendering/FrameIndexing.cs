namespace WeJepa.Simulation.Rendering;

/// <summary>
/// How frame <c>f</c> of a batch maps to an environment and a time step: the batch holds
/// <see cref="FramesPerEnv"/> consecutive frames per environment (a dataset shard (K, T) flattened:
/// FramesPerEnv = T; one frame per env for a training batch: FramesPerEnv = 1). Local env
/// <c>f / FramesPerEnv</c> indexes the looks buffer; the global env <c>EnvBase + f / FramesPerEnv</c>
/// and the time <c>TimeBase + f % FramesPerEnv</c> key the sensor noise.
/// </summary>
public readonly record struct FrameIndexing(int FramesPerEnv = 1, uint EnvBase = 0, uint TimeBase = 0)
{
    public int LocalEnv(int frame) => frame / FramesPerEnv;
    public uint GlobalEnv(int frame) => EnvBase + (uint)(frame / FramesPerEnv);
    public uint Time(int frame) => TimeBase + (uint)(frame % FramesPerEnv);

    /// <summary>Throws when <see cref="FramesPerEnv"/> is not positive (e.g. <c>default(FrameIndexing)</c>).</summary>
    public void Validate()
    {
        if (FramesPerEnv < 1) throw new ArgumentException($"FrameIndexing.FramesPerEnv must be >= 1 (got {FramesPerEnv})");
    }
}
