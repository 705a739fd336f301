using WeJepa.Learning;

namespace WeJepa.Training.Loop;

/// <summary>
/// The baseline that learns nothing: each frame average-pooled over <see cref="Pool"/>×<see cref="Pool"/> blocks and
/// flattened, (B, 3, H, W) → (B, 3·(H/k)·(W/k)). Pooling keeps a linear head's system small and blurs the bob into a
/// smooth bump, which a linear map can read an angle from.
/// </summary>
public sealed class PooledPixelEncoder(int height, int width, int pool) : IFrameEncoder
{
    public int Pool { get; } = pool >= 1 && height % pool == 0 && width % pool == 0 ? pool
        : throw new ArgumentException($"pixels encoder: pool {pool} does not divide the {height}×{width} frames");

    public string Name => "pixels";
    public int FeatureSize => 3 * (height / Pool) * (width / Pool);
    public long HostBytesPerEncode => 0;

    public Tensor Encode(Tensor frames)
    {
        int b = frames.Shape[0];
        using var noGrad = Autograd.NoGrad(frames.Device);
        var blocks = Ops.Reshape(frames, b, 3, height / Pool, Pool, width / Pool, Pool);
        return Ops.Reshape(Ops.Mean(blocks, [3, 5]), b, FeatureSize);
    }

    public void Dispose() { }
}
