namespace WeJepa.Learning.Models;

/// <summary>The tensors of one pre-norm transformer block, whatever a module names them.</summary>
public readonly record struct PreNormBlockWeights(
    Tensor Norm1Weight, Tensor Norm1Bias, Tensor QkvWeight, Tensor QkvBias, Tensor ProjWeight, Tensor ProjBias,
    Tensor Norm2Weight, Tensor Norm2Bias, Tensor Fc1Weight, Tensor Fc1Bias, Tensor Fc2Weight, Tensor Fc2Bias);

/// <summary>
/// The maths shared by PyTorch's <c>TransformerEncoderLayer(norm_first=True)</c> and ijepa's ViT <c>Block</c>:
/// <code>
/// x = x + proj(attention(qkv(norm1(x)), key_padding_mask))
/// x = x + fc2(activation(fc1(norm2(x))))
/// </code>
/// on x (B,N,D); <paramref name="probabilities"/> receives the attention (B,H,N,N) (a read-only view). An optional
/// <paramref name="dropout"/> goes where PyTorch's <c>TransformerEncoderLayer</c> has its three: on the attention output
/// (dropout1), after the activation (dropout) and on the feed-forward output (dropout2).
/// </summary>
public static class PreNormBlock
{
    public static Tensor Forward(Tensor x, in PreNormBlockWeights w, int heads, float eps, Func<Tensor, Tensor> activation,
        Tensor? keyPaddingMask, out Tensor probabilities, Func<Tensor, Tensor>? dropout = null)
    {
        dropout ??= t => t;
        var h = Ops.LayerNorm(x, w.Norm1Weight, w.Norm1Bias, eps);
        var attention = Ops.MultiHeadAttention(Ops.Linear(h, w.QkvWeight, w.QkvBias), heads, keyPaddingMask, out probabilities);
        x = Ops.Add(x, dropout(Ops.Linear(attention, w.ProjWeight, w.ProjBias)));
        h = Ops.LayerNorm(x, w.Norm2Weight, w.Norm2Bias, eps);
        h = dropout(activation(Ops.Linear(h, w.Fc1Weight, w.Fc1Bias)));
        return Ops.Add(x, dropout(Ops.Linear(h, w.Fc2Weight, w.Fc2Bias)));
    }
}
