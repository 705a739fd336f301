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
        int d = Dim, f = FeedForward;
        InProjWeight = ParameterSpec.Of(prefix + "self_attn.in_proj_weight", [3 * d, d], new Initializer.XavierUniform());
        InProjBias = ParameterSpec.Of(prefix + "self_attn.in_proj_bias", [3 * d], Initializer.Zeros);
        OutProjWeight = ParameterSpec.Of(prefix + "self_attn.out_proj.weight", [d, d], Initializer.LinearWeight);
        OutProjBias = ParameterSpec.Of(prefix + "self_attn.out_proj.bias", [d], Initializer.Zeros);
        Linear1Weight = ParameterSpec.Of(prefix + "linear1.weight", [f, d], Initializer.LinearWeight);
        Linear1Bias = ParameterSpec.Of(prefix + "linear1.bias", [f], Initializer.LinearBias(d));
        Linear2Weight = ParameterSpec.Of(prefix + "linear2.weight", [d, f], Initializer.LinearWeight);
        Linear2Bias = ParameterSpec.Of(prefix + "linear2.bias", [d], Initializer.LinearBias(f));
        Norm1Weight = ParameterSpec.Of(prefix + "norm1.weight", [d], Initializer.Ones);
        Norm1Bias = ParameterSpec.Of(prefix + "norm1.bias", [d], Initializer.Zeros);
        Norm2Weight = ParameterSpec.Of(prefix + "norm2.weight", [d], Initializer.Ones);
        Norm2Bias = ParameterSpec.Of(prefix + "norm2.bias", [d], Initializer.Zeros);
        Parameters = [InProjWeight, InProjBias, OutProjWeight, OutProjBias, Linear1Weight, Linear1Bias,
                      Linear2Weight, Linear2Bias, Norm1Weight, Norm1Bias, Norm2Weight, Norm2Bias];
    }

    public ParameterSpec InProjWeight { get; }
    public ParameterSpec InProjBias { get; }
    public ParameterSpec OutProjWeight { get; }
    public ParameterSpec OutProjBias { get; }
    public ParameterSpec Linear1Weight { get; }
    public ParameterSpec Linear1Bias { get; }
    public ParameterSpec Linear2Weight { get; }
    public ParameterSpec Linear2Bias { get; }
    public ParameterSpec Norm1Weight { get; }
    public ParameterSpec Norm1Bias { get; }
    public ParameterSpec Norm2Weight { get; }
    public ParameterSpec Norm2Bias { get; }

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>x (B,N,D) → (B,N,D). keyPaddingMask (B,N), optional: 1 = padding token (ignored as a key), 0 = real token.</summary>
    public Tensor Forward(ParameterStore p, Tensor x, Tensor? keyPaddingMask = null) => Forward(p, x, keyPaddingMask, out _);

    /// <summary>Like <see cref="Forward(ParameterStore, Tensor, Tensor?)"/>, also giving the attention probabilities (B,H,N,N) (read-only);
    /// <paramref name="dropout"/>: PyTorch's three dropouts of the layer (see <see cref="PreNormBlock"/>); none when null.</summary>
    public Tensor Forward(ParameterStore p, Tensor x, Tensor? keyPaddingMask, out Tensor attentionProbabilities, Func<Tensor, Tensor>? dropout = null)
    {
        if (x.Rank != 3 || x.Shape[2] != Dim)
            throw new ShapeError($"TransformerEncoderLayer: expected x (B, N, {Dim}), got {Shapes.Format(x.Shape)}");
        var w = new PreNormBlockWeights(p[Norm1Weight], p[Norm1Bias], p[InProjWeight], p[InProjBias], p[OutProjWeight], p[OutProjBias],
            p[Norm2Weight], p[Norm2Bias], p[Linear1Weight], p[Linear1Bias], p[Linear2Weight], p[Linear2Bias]);
        return PreNormBlock.Forward(x, w, Heads, LayerNormEps, UseRelu ? Ops.Relu : h => Ops.Gelu(h), keyPaddingMask, out attentionProbabilities, dropout);
    }
}
