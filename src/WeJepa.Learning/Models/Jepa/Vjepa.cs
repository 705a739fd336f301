using WeJepa.Learning.Models.Masks;
using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// The seed's V-JEPA, a baseline: <c>patch_embed.proj</c> + learned <c>pos_embed</c> (normal 0.02); two independent
/// encoders <c>context_encoder.layers.{i}</c> and <c>target_encoder.layers.{i}</c>, each
/// <c>nn.TransformerEncoderLayer(D, H, 4D, batch_first=True, norm_first=True)</c> (PyTorch's default ReLU, or GELU;
/// dropout 0 here); the context encoder sees the tokens the context mask leaves visible, the target encoder (no-grad)
/// the target tokens, each compacted per sample and padded with zero tokens to N; predictor <c>predictor.0</c> (D→P),
/// GELU, <c>predictor.2</c> (P→D); MSE over all N slots. PyTorch's dropout (0.1 by default; not on the attention
/// weights here) is <see cref="Dropout"/>. The target encoder is never trained (its own store, never
/// stepped), so its random features are the targets and the loss can fall only to the best prediction of them, which is
/// why I-JEPA's EMA teacher exists.
/// </summary>
public sealed class Vjepa
{
    public PatchTokenizer Tokenizer { get; }
    public TokenGrid Grid { get; }
    public IReadOnlyList<TransformerEncoderLayer> Context { get; }
    public IReadOnlyList<TransformerEncoderLayer> Target { get; }
    public int PredictorDim { get; }
    public int Dim => Tokenizer.Dim;

    /// <summary>
    /// The layers' dropout (PyTorch's three per <c>TransformerEncoderLayer</c>), in both encoders as in the seed's
    /// training mode (its target encoder runs under no_grad, not eval); set <see cref="Dropout.Training"/> off to encode.
    /// </summary>
    public Dropout Dropout { get; }

    public bool RecordAttention { get; set; }
    readonly List<float[]> contextAttention = [], targetAttention = [];
    public IReadOnlyList<float[]> ContextAttention => contextAttention;
    public IReadOnlyList<float[]> TargetAttention => targetAttention;

    /// <summary>
    /// The seed's defaults but for dropout: ReLU, feed-forward width 4·D (<c>mlp_ratio</c> 4); PyTorch's default dropout is
    /// 0.1 (pass <paramref name="dropout"/> 0.1 to train as the seed does; parity and <c>wejepa grad</c> run at 0).
    /// </summary>
    public Vjepa(int channels, int imageSize, int patch, int dim, int depth, int heads, int predictorDim, bool relu = true, int? feedForward = null,
        double dropout = 0, ulong dropoutSeed = 0)
    {
        Dropout = new Dropout(dropout, dropoutSeed);
        if (depth < 1 || predictorDim < 1) throw new ArgumentException($"V-JEPA: depth {depth} and predictor width {predictorDim} must be positive");
        Tokenizer = new PatchTokenizer(channels, dim, patch, "patch_embed.");
        Grid = Tokenizer.Grid([1, channels, imageSize, imageSize]);
        int hidden = feedForward ?? 4 * dim;
        Context = Layers("context_encoder", dim, depth, heads, hidden, relu);
        Target = Layers("target_encoder", dim, depth, heads, hidden, relu);
        PredictorDim = predictorDim;
    }

    static TransformerEncoderLayer[] Layers(string name, int dim, int depth, int heads, int hidden, bool relu) =>
        Enumerable.Range(0, depth).Select(i => new TransformerEncoderLayer(dim, heads, hidden, $"{name}.layers.{i}.", relu: relu)).ToArray();

    /// <summary>The trained parameters (everything but the target encoder), in state_dict order.</summary>
    public IEnumerable<ParameterSpec> Parameters
    {
        get
        {
            yield return ParameterSpec.Of("pos_embed", [1, Grid.Count, Dim], new Initializer.TruncNormal(0.02, double.MinValue, double.MaxValue));
            foreach (var s in Tokenizer.Parameters) yield return s;
            foreach (var s in Context.SelectMany(l => l.Parameters)) yield return s;
            yield return ParameterSpec.Of("predictor.0.weight", [PredictorDim, Dim], Initializer.LinearWeight);
            yield return ParameterSpec.Of("predictor.0.bias", [PredictorDim], Initializer.LinearBias(Dim));
            yield return ParameterSpec.Of("predictor.2.weight", [Dim, PredictorDim], Initializer.LinearWeight);
            yield return ParameterSpec.Of("predictor.2.bias", [Dim], Initializer.LinearBias(PredictorDim));
        }
    }

    /// <summary>The frozen target encoder's parameters (a store of their own: never stepped, never decayed).</summary>
    public IEnumerable<ParameterSpec> TargetParameters => Target.SelectMany(l => l.Parameters);

    /// <summary>images (B,C,H,W) and the mask pair → the MSE between predictions and target features over all B·N slots.</summary>
    public Tensor Loss(ParameterStore p, ParameterStore target, Tensor images, ContextTargetMasks masks)
    {
        var grid = Tokenizer.Grid(images.Shape);
        int B = images.Shape[0], N = grid.Count;
        if (masks.Batch != B || masks.Tokens != N)
            throw new ShapeError($"V-JEPA: masks for {masks.Batch} × {masks.Tokens} tokens, images {Shapes.Format(images.Shape)} give {B} × {N}");
        // another image size: the learned table resized to its grid, as the seed's guide does on the fly
        var x = Ops.Add(Tokenizer.Forward(p, images), PositionResize.Resize(p["pos_embed"], Grid, grid));
        var context = Encode(Context, p, Compact(x, masks.ContextIndex()), contextAttention);
        Tensor targets;
        using (Autograd.NoGrad(images.Device)) targets = Encode(Target, target, Compact(x.Detach(), masks.TargetIndex()), targetAttention);
        var h = Ops.Gelu(Ops.Linear(context, p["predictor.0.weight"], p["predictor.0.bias"]));
        return Ops.MseLoss(Ops.Linear(h, p["predictor.2.weight"], p["predictor.2.bias"]), targets);
    }

    // x (B,N,D) → row b: the listed tokens in order, then zero tokens (index −1), as the seed's F.pad
    static Tensor Compact(Tensor x, int[] padded)
    {
        int B = x.Shape[0], N = x.Shape[1];
        var index = Tensor.FromArray(x.Device, padded.Select(v => Math.Max(v, 0)).ToArray(), B, N);
        var keep = Tensor.FromArray(x.Device, padded.Select(v => v < 0 ? 0f : 1f).ToArray(), B, N, 1);
        return Ops.Mul(Ops.GatherRows(x, index), keep);
    }

    Tensor Encode(IReadOnlyList<TransformerEncoderLayer> layers, ParameterStore p, Tensor x, List<float[]> attention)
    {
        attention.Clear();
        foreach (var layer in layers)
        {
            x = layer.Forward(p, x, null, out var probabilities, Dropout.Active ? Dropout.Apply : null);
            if (RecordAttention) attention.Add(probabilities.ToArray());
        }
        return x;
    }
}
