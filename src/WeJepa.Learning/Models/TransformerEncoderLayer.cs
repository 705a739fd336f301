using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models;

/// <summary>
/// One pre-norm transformer encoder layer, equal to PyTorch's
/// <c>nn.TransformerEncoderLayer(D, H, F, dropout=0, activation="gelu", batch_first=True, norm_first=True)</c>
/// (or PyTorch's default <c>activation="relu"</c> with <c>relu: true</c>):
/// <code>
/// x = x + out_proj(attention(in_proj(norm1(x)), key_padding_mask))
/// x = x + linear2(gelu(linear1(norm2(x))))          (gelu: the exact erf form, PyTorch's "gelu")
/// </code>
/// on x (B,N,D). Parameters carry the module's state_dict names under <see cref="Prefix"/> and PyTorch's
/// initialisation (xavier in_proj, zero attention biases, nn.Linear defaults, LayerNorm ones/zeros).
/// </summary>
public sealed class TransformerEncoderLayer
{
    public int Dim { get; }
    public int Heads { get; }
    public int FeedForward { get; }
    public float LayerNormEps { get; }
    public string Prefix { get; }

    /// <summary>The feed-forward activation: GELU (exact erf form) or ReLU (PyTorch's default).</summary>
    public bool UseRelu { get; }

    public TransformerEncoderLayer(int dim, int heads, int? feedForward = null, string prefix = "", float layerNormEps = 1e-5f, bool relu = false)
    {
        UseRelu = relu;
        if (dim <= 0 || heads <= 0 || dim % heads != 0)
            throw new ArgumentException($"TransformerEncoderLayer: dim = {dim} must be a positive multiple of heads = {heads}");
        Dim = dim;
        Heads = heads;
        FeedForward = feedForward ?? 4 * dim;
        if (FeedForward <= 0) throw new ArgumentOutOfRangeException(nameof(feedForward), feedForward, "TransformerEncoderLayer: feed-forward width must be positive");
        LayerNormEps = layerNormEps;
        Prefix = prefix;
    }

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    public IEnumerable<ParameterSpec> Parameters
    {
        get
        {
            int d = Dim, f = FeedForward;
            return
            [
                ParameterSpec.Of(Prefix + "self_attn.in_proj_weight", [3 * d, d], new Initializer.XavierUniform()),
                ParameterSpec.Of(Prefix + "self_attn.in_proj_bias", [3 * d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "self_attn.out_proj.weight", [d, d], Initializer.LinearWeight),
                ParameterSpec.Of(Prefix + "self_attn.out_proj.bias", [d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "linear1.weight", [f, d], Initializer.LinearWeight),
                ParameterSpec.Of(Prefix + "linear1.bias", [f], Initializer.LinearBias(d)),
                ParameterSpec.Of(Prefix + "linear2.weight", [d, f], Initializer.LinearWeight),
                ParameterSpec.Of(Prefix + "linear2.bias", [d], Initializer.LinearBias(f)),
                ParameterSpec.Of(Prefix + "norm1.weight", [d], Initializer.Ones),
                ParameterSpec.Of(Prefix + "norm1.bias", [d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "norm2.weight", [d], Initializer.Ones),
                ParameterSpec.Of(Prefix + "norm2.bias", [d], Initializer.Zeros),
            ];
        }
    }

    /// <summary>x (B,N,D) → (B,N,D). keyPaddingMask (B,N), optional: 1 = padding token (ignored as a key), 0 = real token.</summary>
    public Tensor Forward(ParameterStore p, Tensor x, Tensor? keyPaddingMask = null) => Forward(p, x, keyPaddingMask, out _);

    /// <summary>Like <see cref="Forward(ParameterStore, Tensor, Tensor?)"/>, also giving the attention probabilities (B,H,N,N) (read-only).</summary>
    public Tensor Forward(ParameterStore p, Tensor x, Tensor? keyPaddingMask, out Tensor attentionProbabilities)
    {
        if (x.Rank != 3 || x.Shape[2] != Dim)
            throw new ShapeError($"TransformerEncoderLayer: expected x (B, N, {Dim}), got {Shapes.Format(x.Shape)}");
        string n = Prefix;
        var w = new PreNormBlockWeights(p[n + "norm1.weight"], p[n + "norm1.bias"], p[n + "self_attn.in_proj_weight"], p[n + "self_attn.in_proj_bias"],
            p[n + "self_attn.out_proj.weight"], p[n + "self_attn.out_proj.bias"], p[n + "norm2.weight"], p[n + "norm2.bias"],
            p[n + "linear1.weight"], p[n + "linear1.bias"], p[n + "linear2.weight"], p[n + "linear2.bias"]);
        return PreNormBlock.Forward(x, w, Heads, LayerNormEps, UseRelu ? Ops.Relu : h => Ops.Gelu(h), keyPaddingMask, out attentionProbabilities);
    }
}
