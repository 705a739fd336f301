using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// The convolutional tokenizer (the seed's <c>classification_backbone</c> option without torchvision): stages of
/// <c>stem.{i}.conv</c> (3×3, stride 2, padding 1) → <c>stem.{i}.norm</c> (LayerNorm over channels, eps 1e-6) → GELU,
/// then <c>proj</c> (1×1 convolution to D); the final feature map, row-major, is the token sequence. Each stage halves
/// the grid (rounding up), so 3 stages tokenise like patch 8.
/// </summary>
public sealed class ConvStem : ITokenizer
{
    public int Channels { get; }
    public int[] StageChannels { get; }
    public int Dim { get; }
    public string Prefix { get; }

    public ConvStem(int channels, int[] stageChannels, int dim, string prefix)
    {
        if (channels < 1 || dim < 1 || stageChannels.Length == 0 || stageChannels.Any(c => c < 1))
            throw new ArgumentException($"conv stem: needs positive channels ({channels}), stage widths ([{string.Join(", ", stageChannels)}]) and dim ({dim})");
        (Channels, StageChannels, Dim, Prefix) = (channels, stageChannels, dim, prefix);
    }

    public IEnumerable<ParameterSpec> Parameters
    {
        get
        {
            int input = Channels;
            for (int i = 0; i < StageChannels.Length; i++)
            {
                int c = StageChannels[i];
                string s = $"{Prefix}stem.{i}.";
                yield return ParameterSpec.Of(s + "conv.weight", [c, input, 3, 3], Initializer.LinearWeight);
                yield return ParameterSpec.Of(s + "conv.bias", [c], Initializer.LinearBias(input * 9));
                yield return ParameterSpec.Of(s + "norm.weight", [c], Initializer.Ones);
                yield return ParameterSpec.Of(s + "norm.bias", [c], Initializer.Zeros);
                input = c;
            }
            yield return ParameterSpec.Of(Prefix + "proj.weight", [Dim, input, 1, 1], Initializer.LinearWeight);
            yield return ParameterSpec.Of(Prefix + "proj.bias", [Dim], Initializer.LinearBias(input));
        }
    }

    public bool SpaceTime => false;

    public TokenGrid Grid(int[] inputShape)
    {
        if (inputShape.Length != 4 || inputShape[1] != Channels || inputShape[2] < 1 || inputShape[3] < 1)
            throw new ShapeError($"conv stem: expected images (B, {Channels}, H, W), got {Shapes.Format(inputShape)}");
        var (height, width) = (inputShape[2], inputShape[3]);
        for (int i = 0; i < StageChannels.Length; i++) (height, width) = ((height - 1) / 2 + 1, (width - 1) / 2 + 1);
        return TokenGrid.Image(height, width);
    }

    /// <summary>images (B,C,H,W) → tokens (B,N,D).</summary>
    public Tensor Forward(ParameterStore p, Tensor images)
    {
        if (images.Rank != 4 || images.Shape[1] != Channels)
            throw new ShapeError($"conv stem: expected images (B, {Channels}, H, W), got {Shapes.Format(images.Shape)}");
        var x = images;
        for (int i = 0; i < StageChannels.Length; i++)
        {
            string s = $"{Prefix}stem.{i}.";
            x = Ops.Conv2d(x, p[s + "conv.weight"], p[s + "conv.bias"], (2, 2), (1, 1));
            // LayerNorm over channels: channels-last, normalise, back
            var channelsLast = Ops.LayerNorm(Ops.Permute(x, 0, 2, 3, 1), p[s + "norm.weight"], p[s + "norm.bias"], VitBlock.LayerNormEps);
            x = Ops.Permute(Ops.Gelu(channelsLast), 0, 3, 1, 2);
        }
        x = Ops.Conv2d(x, p[Prefix + "proj.weight"], p[Prefix + "proj.bias"], (1, 1), (0, 0));
        int B = x.Shape[0], D = x.Shape[1], N = x.Shape[2] * x.Shape[3];
        return Ops.Permute(Ops.Reshape(x, B, D, N), 0, 2, 1);
    }
}
