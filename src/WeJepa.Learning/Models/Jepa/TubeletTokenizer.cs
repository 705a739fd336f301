using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// Tubelet embedding of clips (B,T,C,H,W), PyTorch <c>Conv3d(C, D, (t,p,p), stride (t,p,p))</c> on (B,C,T,H,W):
/// tokens (B, T/t·(H/p)·(W/p), D) ordered (frame group, row, column). Parameters <c>proj.weight</c> (D,C,t,p,p) and
/// <c>proj.bias</c> (D) under <see cref="Prefix"/>. A kernel = stride Conv3d is the patch embedding of frame groups whose
/// t frames are stacked as channels (c major, frame minor: the weight's own order), so it runs as one
/// <see cref="Ops.PatchEmbedConv"/> on (B·T/t, C·t, H, W).
/// </summary>
public sealed class TubeletTokenizer : ITokenizer
{
    public int Channels { get; }
    public int Dim { get; }
    public int Tubelet { get; }
    public int Patch { get; }
    public string Prefix { get; }
    public bool SpaceTime => true;

    public TubeletTokenizer(int channels, int dim, int tubelet, int patch, string prefix)
    {
        if (channels < 1 || dim < 1 || tubelet < 1 || patch < 1)
            throw new ArgumentException($"tubelet tokenizer: channels {channels}, dim {dim}, tubelet {tubelet} and patch {patch} must be positive");
        (Channels, Dim, Tubelet, Patch, Prefix) = (channels, dim, tubelet, patch, prefix);
    }

    public string WeightName => Prefix + "proj.weight";
    public string BiasName => Prefix + "proj.bias";

    public IEnumerable<ParameterSpec> Parameters =>
    [
        ParameterSpec.Of(WeightName, [Dim, Channels, Tubelet, Patch, Patch], Initializer.LinearWeight),
        ParameterSpec.Of(BiasName, [Dim], Initializer.LinearBias(Channels * Tubelet * Patch * Patch)),
    ];

    public TokenGrid Grid(int[] inputShape)
    {
        if (inputShape.Length != 5 || inputShape[2] != Channels)
            throw new ShapeError($"tubelet tokenizer: expected clips (B, T, {Channels}, H, W), got {Shapes.Format(inputShape)}");
        if (inputShape[1] < Tubelet || inputShape[1] % Tubelet != 0)
            throw new ShapeError($"tubelet tokenizer: clip length {inputShape[1]} is not a positive multiple of the tubelet {Tubelet}");
        var image = PatchTokenizer.ImageGrid(inputShape[3], inputShape[4], Patch, "tubelet tokenizer");
        return new TokenGrid(inputShape[1] / Tubelet, image.Height, image.Width);
    }

    /// <summary>clips (B,T,C,H,W) → tokens (B, T/t·N, D).</summary>
    public Tensor Forward(ParameterStore p, Tensor clips)
    {
        var grid = Grid(clips.Shape);
        int B = clips.Shape[0], T = clips.Shape[1], C = Channels, H = clips.Shape[3], W = clips.Shape[4], t = Tubelet, groups = T / t;
        var stacked = Ops.Permute(Ops.Reshape(clips, B, groups, t, C, H, W), 0, 1, 3, 2, 4, 5);   // (B, T/t, C, t, H, W)
        var weight = Ops.Reshape(p[WeightName], Dim, C * t, Patch, Patch);
        var tokens = Ops.PatchEmbedConv(Ops.Reshape(stacked, B * groups, C * t, H, W), weight, p[BiasName]);
        return Ops.Reshape(tokens, B, grid.Count, Dim);
    }
}
