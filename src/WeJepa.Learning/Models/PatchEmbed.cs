using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models;

/// <summary>
/// ViT patch embedding, PyTorch's <c>PatchEmbed</c>: <c>proj = nn.Conv2d(C, D, kernel_size=p, stride=p)</c> applied to
/// images (B,C,H,W) and flattened to tokens (B,N,D), N = (H/p)·(W/p). Parameters (state_dict names under
/// <see cref="Prefix"/>): <c>proj.weight</c> (D,C,p,p), <c>proj.bias</c> (D), with PyTorch's Conv2d initialisation.
/// </summary>
public sealed class PatchEmbed(int channels, int dim, int patch, string prefix = "")
{
    public int Channels { get; } = channels > 0 ? channels : throw new ArgumentOutOfRangeException(nameof(channels), channels, "PatchEmbed: channels must be positive");
    public int Dim { get; } = dim > 0 ? dim : throw new ArgumentOutOfRangeException(nameof(dim), dim, "PatchEmbed: dim must be positive");
    public int Patch { get; } = patch > 0 ? patch : throw new ArgumentOutOfRangeException(nameof(patch), patch, "PatchEmbed: patch must be positive");
    public string Prefix { get; } = prefix;

    public string WeightName => Prefix + "proj.weight";
    public string BiasName => Prefix + "proj.bias";

    /// <summary><c>proj.weight</c> (D, C, p, p).</summary>
    public ParameterSpec Weight => field ??= ParameterSpec.Of(WeightName, [Dim, Channels, Patch, Patch], Initializer.LinearWeight);

    /// <summary><c>proj.bias</c> (D).</summary>
    public ParameterSpec Bias => field ??= ParameterSpec.Of(BiasName, [Dim], Initializer.LinearBias(Channels * Patch * Patch));

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    public IReadOnlyList<ParameterSpec> Parameters => [Weight, Bias];

    /// <summary>images (B,C,H,W) → tokens (B,N,D).</summary>
    public Tensor Forward(ParameterStore parameters, Tensor images)
    {
        if (images.Rank != 4 || images.Shape[1] != Channels)
            throw new ShapeError($"PatchEmbed: expected images (B, {Channels}, H, W), got {Shapes.Format(images.Shape)}");
        return Ops.PatchEmbedConv(images, parameters[Weight], parameters[Bias]);
    }
}
