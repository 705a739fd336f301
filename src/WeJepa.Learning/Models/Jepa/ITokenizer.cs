using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>Turns images (B,C,H,W) or clips (B,T,C,H,W) into tokens (B,N,D) on a grid the masks and position tables share.</summary>
public interface ITokenizer
{
    /// <summary>Token width D.</summary>
    int Dim { get; }

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    IEnumerable<ParameterSpec> Parameters { get; }

    /// <summary>The token grid of an input of this shape; a clear error naming the shape when it does not fit.</summary>
    TokenGrid Grid(int[] inputShape);

    /// <summary>True for clips: positions are then the 3-D (time, row, column) sin-cos table.</summary>
    bool SpaceTime { get; }

    Tensor Forward(ParameterStore parameters, Tensor images);
}

/// <summary>The ViT patch embedding (a strided Conv2d, kernel = stride = patch) as a tokenizer.</summary>
public sealed class PatchTokenizer(int channels, int dim, int patch, string prefix) : ITokenizer
{
    readonly PatchEmbed embed = new(channels, dim, patch, prefix);

    public int Dim => dim;
    public int Patch => patch;
    public IEnumerable<ParameterSpec> Parameters => embed.Parameters;

    public bool SpaceTime => false;

    public TokenGrid Grid(int[] inputShape)
    {
        if (inputShape.Length != 4 || inputShape[1] != channels)
            throw new ShapeError($"patch tokenizer: expected images (B, {channels}, H, W), got {Shapes.Format(inputShape)}");
        return ImageGrid(inputShape[2], inputShape[3], patch, "patch tokenizer");
    }

    /// <summary>The patch grid of an H×W image; a clear error when either side is not a positive multiple of the patch.</summary>
    public static TokenGrid ImageGrid(int height, int width, int patch, string who)
    {
        if (height % patch != 0 || width % patch != 0 || height < patch || width < patch)
            throw new ShapeError($"{who}: image size {height}×{width} is not a positive multiple of the patch {patch}");
        return TokenGrid.Image(height / patch, width / patch);
    }

    public Tensor Forward(ParameterStore parameters, Tensor images)
    {
        Grid(images.Shape);
        return embed.Forward(parameters, images);
    }
}
