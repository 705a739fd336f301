using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// I-JEPA's predictor (facebookresearch/ijepa <c>VisionTransformerPredictor</c>): context features (B,Nc,D) →
/// <c>predictor_embed</c> (D→Dp) + <c>predictor_pos_embed</c> at the context positions; per target block m, mask tokens
/// <c>mask_token</c> + the table at the block's positions appended to a copy of the context; <c>predictor_blocks.{i}</c>,
/// <c>predictor_norm</c>, and <c>predictor_proj</c> (Dp→D) of the mask-token slots → (M·B, Nt, D), block-major (row m·B + b),
/// the order of ijepa's <c>apply_masks</c>. The position table is the fixed sin-cos table of the token grid (2-D for images,
/// 3-D for clips), a constant.
/// </summary>
public sealed class IjepaPredictor
{
    public int Dim { get; }
    public int PredictorDim { get; }
    public TokenGrid Grid { get; }
    public IReadOnlyList<VitBlock> Blocks { get; }
    public string Prefix { get; }

    public bool RecordAttention { get; set; }
    readonly List<float[]> lastAttention = [];
    public IReadOnlyList<float[]> LastAttention => lastAttention;

    readonly Lazy<ConstantBuffer> table;

    public IjepaPredictor(int dim, int predictorDim, TokenGrid grid, bool spaceTime, int depth, int heads, string prefix = "")
    {
        if (dim < 1 || predictorDim < 1 || depth < 1)
            throw new ArgumentException($"I-JEPA predictor: dims ({dim}, {predictorDim}) and depth ({depth}) must be positive");
        (Dim, PredictorDim, Grid, Prefix) = (dim, predictorDim, grid, prefix);
        Blocks = Enumerable.Range(0, depth).Select(i => new VitBlock(predictorDim, heads, i, $"{prefix}predictor_blocks.{i}.")).ToArray();
        table = new(() => new ConstantBuffer(prefix + "predictor_pos_embed", [1, grid.Count, predictorDim],
            SinCosTables.For(predictorDim, grid, spaceTime)));
    }

    public IEnumerable<ParameterSpec> Parameters
    {
        get
        {
            string n = Prefix;
            yield return ParameterSpec.Of(n + "mask_token", [1, 1, PredictorDim], new Initializer.TruncNormal(0.02));
            yield return ParameterSpec.Of(n + "predictor_embed.weight", [PredictorDim, Dim], new Initializer.TruncNormal(0.02));
            yield return ParameterSpec.Of(n + "predictor_embed.bias", [PredictorDim], Initializer.Zeros);
            foreach (var s in Blocks.SelectMany(b => b.Parameters)) yield return s;
            yield return ParameterSpec.Of(n + "predictor_norm.weight", [PredictorDim], Initializer.Ones);
            yield return ParameterSpec.Of(n + "predictor_norm.bias", [PredictorDim], Initializer.Zeros);
            yield return ParameterSpec.Of(n + "predictor_proj.weight", [Dim, PredictorDim], new Initializer.TruncNormal(0.02));
            yield return ParameterSpec.Of(n + "predictor_proj.bias", [Dim], Initializer.Zeros);
        }
    }

    public IEnumerable<ConstantBuffer> Constants => [table.Value];

    /// <summary>context (B,Nc,D) at <paramref name="contextIndex"/>, targets (one index per block) → predictions (M·B, Nt, D).</summary>
    public Tensor Forward(ParameterStore p, Tensor context, TokenIndex contextIndex, IReadOnlyList<TokenIndex> targets)
    {
        int B = context.Shape[0];
        if (context.Rank != 3 || context.Shape[2] != Dim || contextIndex.Batch != B || contextIndex.Count != context.Shape[1])
            throw new ShapeError($"I-JEPA predictor: context {Shapes.Format(context.Shape)} does not match D {Dim} and its index ({contextIndex.Batch}, {contextIndex.Count})");
        var device = context.Device;
        string n = Prefix;
        Tensor positions;
        using (Autograd.NoGrad(device)) positions = Ops.Expand(Tensor.FromArray(device, table.Value.Values, 1, Grid.Count, PredictorDim), [B, Grid.Count, PredictorDim]);
        var x = Ops.Linear(context, p[n + "predictor_embed.weight"], p[n + "predictor_embed.bias"]);
        x = Ops.Add(x, Ops.GatherRows(positions, contextIndex.ToTensor(device)));
        int nc = x.Shape[1];
        var maskTokens = Ops.Concat(targets.Select(t => Ops.Add(Ops.GatherRows(positions, t.ToTensor(device)), p[n + "mask_token"])).ToArray(), 0);
        x = Ops.Concat([Ops.Concat(Enumerable.Repeat(x, targets.Count).ToArray(), 0), maskTokens], 1);
        lastAttention.Clear();
        foreach (var block in Blocks)
        {
            x = block.Forward(p, x, out var probabilities);
            if (RecordAttention) lastAttention.Add(probabilities.ToArray());
        }
        x = Ops.LayerNorm(x, p[n + "predictor_norm.weight"], p[n + "predictor_norm.bias"], VitBlock.LayerNormEps);
        x = Ops.Slice(x, 1, nc, x.Shape[1] - nc);
        return Ops.Linear(x, p[n + "predictor_proj.weight"], p[n + "predictor_proj.bias"]);
    }
}
