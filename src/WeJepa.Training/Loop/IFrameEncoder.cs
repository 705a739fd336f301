using WeJepa.Learning;

namespace WeJepa.Training.Loop;

/// <summary>
/// What the closed loop sees of a frame: a feature vector per image. Implementations: a JEPA encoder's token features
/// (<see cref="JepaFrameEncoder"/>: pretrained, or freshly initialised as a baseline) and pooled raw pixels
/// (<see cref="PooledPixelEncoder"/>, the no-learning baseline).
/// </summary>
public interface IFrameEncoder : IDisposable
{
    /// <summary>How the report names it: <c>jepa</c>, <c>random-init</c>, <c>pixels</c>.</summary>
    string Name { get; }

    /// <summary>Features per frame.</summary>
    int FeatureSize { get; }

    /// <summary>
    /// Bytes one <see cref="Encode"/> call moves from the host by design, whatever the batch (a constant table the network
    /// uploads per call), so the loop's traffic accounting can tell them from frames.
    /// </summary>
    long HostBytesPerEncode { get; }

    /// <summary>
    /// Frames (B, 3, H, W) in [0, 1] → features (B, <see cref="FeatureSize"/>), tensors of the caller's Tape step, with no
    /// graph. Reads the frames where they lie (the simulator's shared memory): no host copy.
    /// </summary>
    Tensor Encode(Tensor frames);
}
