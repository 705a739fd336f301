using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>Turns images (B,C,H,W) into tokens (B,N,D) on a grid the masks and position tables share.</summary>
public interface ITokenizer
{
    /// <summary>Token width D.</summary>
    int Dim { get; }

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    IEnumerable<ParameterSpec> Parameters { get; }

    /// <summary>The token grid of an input of this height and width; a clear error when the size does not fit.</summary>
    TokenGrid Grid(int height, int width);

    Tensor Forward(ParameterStore parameters, Tensor images);
}

/// <summary>The ViT patch embedding (a strided Conv2d, kernel = stride = patch) as a tokenizer.</summary>
public sealed class PatchTokenizer(int channels, int dim, int patch, string prefix) : ITokenizer
{
    readonly PatchEmbed embed = new(channels, dim, patch, prefix);

    public int Dim => dim;
    public int Patch => patch;
    public IEnumerable<ParameterSpec> Parameters => embed.Parameters;

    public TokenGrid Grid(int height, int width)
    {
        if (height % patch != 0 || width % patch != 0 || height < patch || width < patch)
            throw new ShapeError($"patch tokenizer: image size {height}×{width} is not a positive multiple of the patch {patch}");
        return TokenGrid.Image(height / patch, width / patch);
    }

    public Tensor Forward(ParameterStore parameters, Tensor images)
    {
        if (images.Rank == 4) Grid(images.Shape[2], images.Shape[3]);
        return embed.Forward(parameters, images);
    }
}
