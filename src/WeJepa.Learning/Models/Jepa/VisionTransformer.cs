using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>How a ViT adds position: a learned table (trunc-normal 0.02, as V-JEPA) or a fixed sin-cos table (I-JEPA's 2-D one; 3-D for clips).</summary>
public enum PositionEmbedding { Learned, SinCos }

/// <summary>
/// The ViT encoder as facebookresearch/ijepa's <c>VisionTransformer</c>: tokenizer (<c>patch_embed.</c>), plus
/// <c>pos_embed</c> (1,N,D), optionally only the tokens a <see cref="TokenIndex"/> keeps (a context encoder sees the
/// visible tokens only), <c>blocks.{i}</c> (<see cref="VitBlock"/>), final <c>norm</c> (LayerNorm eps 1e-6).
/// A fixed sin-cos table is a constant (in the state_dict for PyTorch, never trained).
/// <see cref="RecordAttention"/> keeps each block's attention probabilities of the last forward (host copies, (B,H,K,K));
/// off by default, and then it costs nothing: the probabilities exist anyway for the backward.
/// </summary>
public sealed class VisionTransformer
{
    public ITokenizer Tokenizer { get; }
    public TokenGrid Grid { get; }
    public PositionEmbedding Position { get; }
    public IReadOnlyList<VitBlock> Blocks { get; }
    public string Prefix { get; }
    public int Dim => Tokenizer.Dim;
    public int Tokens => Grid.Count;

    public bool RecordAttention { get; set; }
    readonly List<float[]> lastAttention = [];
    /// <summary>Per block, the attention probabilities (B,H,K,K) of the last forward while <see cref="RecordAttention"/> was on.</summary>
    public IReadOnlyList<float[]> LastAttention => lastAttention;

    public string PositionName => Prefix + "pos_embed";
    public string NormWeightName => Prefix + "norm.weight";
    public string NormBiasName => Prefix + "norm.bias";

    public VisionTransformer(ITokenizer tokenizer, TokenGrid grid, int depth, int heads, PositionEmbedding position, string prefix = "")
    {
        if (depth < 1) throw new ArgumentOutOfRangeException(nameof(depth), depth, "ViT: depth must be at least 1");
        (Tokenizer, Grid, Position, Prefix) = (tokenizer, grid, position, prefix);
        sinCos = new(() => new ConstantBuffer(PositionName, [1, grid.Count, tokenizer.Dim], SinCosTables.For(tokenizer.Dim, grid, tokenizer.SpaceTime)));
        Blocks = Enumerable.Range(0, depth).Select(i => new VitBlock(tokenizer.Dim, heads, i, $"{prefix}blocks.{i}.")).ToArray();
    }

    /// <summary>A ViT on patch tokens of images (channels, imageSize, imageSize).</summary>
    public static VisionTransformer WithPatches(int channels, int imageSize, int patch, int dim, int depth, int heads,
        PositionEmbedding position, string prefix = "")
    {
        var tokenizer = new PatchTokenizer(channels, dim, patch, prefix + "patch_embed.");
        return new VisionTransformer(tokenizer, tokenizer.Grid([1, channels, imageSize, imageSize]), depth, heads, position, prefix);
    }

    /// <summary>A ViT on tubelet tokens of clips (frames, channels, imageSize, imageSize).</summary>
    public static VisionTransformer WithTubelets(int frames, int channels, int imageSize, int tubelet, int patch, int dim, int depth, int heads,
        PositionEmbedding position, string prefix = "")
    {
        var tokenizer = new TubeletTokenizer(channels, dim, tubelet, patch, prefix + "patch_embed.");
        return new VisionTransformer(tokenizer, tokenizer.Grid([1, frames, channels, imageSize, imageSize]), depth, heads, position, prefix);
    }

    /// <summary>A ViT on the tokens of a <see cref="ConvStem"/> with the given stage widths.</summary>
    public static VisionTransformer WithConvStem(int channels, int imageSize, int[] stageChannels, int dim, int depth, int heads,
        PositionEmbedding position, string prefix = "")
    {
        var tokenizer = new ConvStem(channels, stageChannels, dim, prefix + "patch_embed.");
        return new VisionTransformer(tokenizer, tokenizer.Grid([1, channels, imageSize, imageSize]), depth, heads, position, prefix);
    }

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    public IEnumerable<ParameterSpec> Parameters
    {
        get
        {
            if (Position == PositionEmbedding.Learned)
                yield return ParameterSpec.Of(PositionName, [1, Tokens, Dim], new Initializer.TruncNormal(0.02));
            foreach (var s in Tokenizer.Parameters) yield return s;
            foreach (var s in Blocks.SelectMany(b => b.Parameters)) yield return s;
            yield return ParameterSpec.Of(NormWeightName, [Dim], Initializer.Ones);
            yield return ParameterSpec.Of(NormBiasName, [Dim], Initializer.Zeros);
        }
    }

    /// <summary>The fixed tables in the state_dict (the sin-cos <c>pos_embed</c>), for loading and saving.</summary>
    public IEnumerable<ConstantBuffer> Constants => Position == PositionEmbedding.SinCos ? [sinCos.Value] : [];
    readonly Lazy<ConstantBuffer> sinCos;

    /// <summary>
    /// images (B,C,H,W) → features (B,N,D), or (B,K,D) of the tokens <paramref name="keep"/> lists. Images of another size
    /// than the model's give another token grid: the position table follows it (see <see cref="PositionTable"/>).
    /// </summary>
    public Tensor Forward(ParameterStore p, Tensor images, TokenIndex? keep = null)
    {
        var grid = Tokenizer.Grid(images.Shape);
        if (grid != Grid && Position == PositionEmbedding.Learned && (grid.Frames != 1 || Grid.Frames != 1))
            throw new ShapeError($"ViT {Prefix}: input {Shapes.Format(images.Shape)} gives a {grid.Frames}×{grid.Height}×{grid.Width} token grid, the model has {Grid.Frames}×{Grid.Height}×{Grid.Width} (a learned space-time table does not resize)");
        if (keep is not null && keep.Batch != images.Shape[0])
            throw new ShapeError($"ViT {Prefix}: token index for batch {keep.Batch}, images {Shapes.Format(images.Shape)}");
        var x = Ops.Add(Tokenizer.Forward(p, images), PositionTable(p, images.Device, grid));
        if (keep is not null) x = Ops.GatherRows(x, keep.ToTensor(images.Device));
        return Encode(p, x);
    }

    /// <summary>The blocks and final norm on tokens that already carry their positions (B,K,D).</summary>
    public Tensor Encode(ParameterStore p, Tensor x)
    {
        lastAttention.Clear();
        foreach (var block in Blocks)
        {
            x = block.Forward(p, x, out var probabilities);
            if (RecordAttention) lastAttention.Add(probabilities.ToArray());
        }
        return Ops.LayerNorm(x, p[NormWeightName], p[NormBiasName], VitBlock.LayerNormEps);
    }

    /// <summary>The table on <paramref name="grid"/>: another image grid resizes a learned table bicubically and recomputes a sin-cos one.</summary>
    Tensor PositionTable(ParameterStore p, Devices.Device device, TokenGrid grid) => (Position, grid == Grid) switch
    {
        (PositionEmbedding.Learned, true) => p[PositionName],
        (PositionEmbedding.Learned, false) => PositionResize.Resize(p[PositionName], Grid, grid),
        (_, true) => Tensor.FromArray(device, sinCos.Value.Values, 1, Tokens, Dim),
        _ => Tensor.FromArray(device, SinCosTables.For(Dim, grid, Tokenizer.SpaceTime), 1, grid.Count, Dim),
    };
}
