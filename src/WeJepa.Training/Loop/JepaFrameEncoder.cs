using WeJepa.Learning;
using WeJepa.Training.Jepa;

namespace WeJepa.Training.Loop;

/// <summary>
/// A JEPA encoder's view of a frame: the teacher's token features (B, N, D) flattened to (B, N·D). Flattened, not
/// mean-pooled: where the bob is lives in which token lights up, and pooling over tokens would throw that away.
/// Clip models (video-jepa) see each frame as a still clip (the frame repeated).
/// </summary>
public sealed class JepaFrameEncoder(JepaModel model, string name, bool ownsModel = false) : IFrameEncoder
{
    readonly int frames = model.Config.FramesPerSample;

    public JepaModel Model { get; } = model;
    public string Name { get; } = name;
    public int FeatureSize => Model.Grid.Count * Model.Dim;
    /// <summary>The ViT uploads its sin-cos position table (N, D) float32 with every forward.</summary>
    public long HostBytesPerEncode => 4L * Model.Grid.Count * Model.Dim;

    public Tensor Encode(Tensor images)
    {
        int b = images.Shape[0];
        using var noGrad = Autograd.NoGrad(images.Device);
        var input = images;
        if (frames > 1)
        {
            var still = Ops.Reshape(images, b, 1, 3, images.Shape[2], images.Shape[3]);
            input = Ops.Concat(Enumerable.Repeat(still, frames).ToArray(), 1);
        }
        return Ops.Reshape(Model.Tokens(input), b, FeatureSize);
    }

    public void Dispose()
    {
        if (ownsModel) Model.Dispose();
    }
}
