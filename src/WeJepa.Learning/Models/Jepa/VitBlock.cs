using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// One pre-norm ViT block as facebookresearch/ijepa's <c>Block</c> (qkv bias, LayerNorm eps 1e-6, exact GELU, no dropout):
/// <see cref="PreNormBlock"/> on x (B,N,D) with ijepa's names (<c>attn.qkv</c>, <c>attn.proj</c>, <c>mlp.fc1</c>, <c>mlp.fc2</c>). Parameters carry ijepa's names under <see cref="Prefix"/> and its initialisation: trunc-normal 0.02
/// linear weights, zero biases, and the output projections of block i (from 0) divided by √(2·(i + 1)).
/// </summary>
public sealed class VitBlock
{
    public const float LayerNormEps = 1e-6f;

    public int Dim { get; }
    public int Heads { get; }
    public int Hidden { get; }
    public int Index { get; }
    public string Prefix { get; }

    public VitBlock(int dim, int heads, int index, string prefix, double mlpRatio = 4.0)
    {
        if (dim <= 0 || heads <= 0 || dim % heads != 0)
            throw new ArgumentException($"ViT block: heads {heads} must divide the width {dim}");
        (Dim, Heads, Index, Prefix, Hidden) = (dim, heads, index, prefix, (int)(dim * mlpRatio));
    }

    /// <summary>The parameters to lay out in a <see cref="ParameterStore"/>, in state_dict order.</summary>
    public IEnumerable<ParameterSpec> Parameters
    {
        get
        {
            int d = Dim, f = Hidden;
            var weight = new Initializer.TruncNormal(0.02);
            var rescaled = new Initializer.TruncNormal(0.02 / Math.Sqrt(2.0 * (Index + 1)));
            return
            [
                ParameterSpec.Of(Prefix + "norm1.weight", [d], Initializer.Ones),
                ParameterSpec.Of(Prefix + "norm1.bias", [d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "attn.qkv.weight", [3 * d, d], weight),
                ParameterSpec.Of(Prefix + "attn.qkv.bias", [3 * d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "attn.proj.weight", [d, d], rescaled),
                ParameterSpec.Of(Prefix + "attn.proj.bias", [d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "norm2.weight", [d], Initializer.Ones),
                ParameterSpec.Of(Prefix + "norm2.bias", [d], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "mlp.fc1.weight", [f, d], weight),
                ParameterSpec.Of(Prefix + "mlp.fc1.bias", [f], Initializer.Zeros),
                ParameterSpec.Of(Prefix + "mlp.fc2.weight", [d, f], rescaled),
                ParameterSpec.Of(Prefix + "mlp.fc2.bias", [d], Initializer.Zeros),
            ];
        }
    }

    /// <summary>x (B,N,D) → (B,N,D); <paramref name="probabilities"/> receives the attention (B,H,N,N) (a read-only view).</summary>
    public Tensor Forward(ParameterStore p, Tensor x, out Tensor probabilities)
    {
        if (x.Rank != 3 || x.Shape[2] != Dim)
            throw new ShapeError($"ViT block {Prefix}: expected x (B, N, {Dim}), got {Shapes.Format(x.Shape)}");
        string n = Prefix;
        var w = new PreNormBlockWeights(p[n + "norm1.weight"], p[n + "norm1.bias"], p[n + "attn.qkv.weight"], p[n + "attn.qkv.bias"],
            p[n + "attn.proj.weight"], p[n + "attn.proj.bias"], p[n + "norm2.weight"], p[n + "norm2.bias"],
            p[n + "mlp.fc1.weight"], p[n + "mlp.fc1.bias"], p[n + "mlp.fc2.weight"], p[n + "mlp.fc2.bias"]);
        return PreNormBlock.Forward(x, w, Heads, LayerNormEps, h => Ops.Gelu(h), null, out probabilities);
    }
}
