using WeJepa.Core.Rng;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// Inverted dropout as PyTorch's <c>nn.Dropout</c> in training mode: each element is kept with probability 1 − p and
/// scaled by 1/(1 − p), or zeroed. The mask is drawn on the host from one <see cref="SplitMix64"/> stream (a seed fixes
/// every mask of a run, in call order) and multiplied in as a constant, so the backward zeroes and scales the gradient
/// at exactly the same elements. With p = 0, or outside <see cref="Training"/>, it is the identity and costs nothing.
/// </summary>
public sealed class Dropout
{
    SplitMix64 rng;

    public double P { get; }

    /// <summary>Off for evaluation (features for a probe); on by default, as a module in training mode.</summary>
    public bool Training { get; set; } = true;

    public Dropout(double p, ulong seed)
    {
        if (!(p >= 0 && p < 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout: the probability must be in [0, 1)");
        P = p;
        rng = new SplitMix64(seed);
    }

    public bool Active => P > 0 && Training;

    /// <summary>Restarts the mask stream: the next masks are those a fresh <c>Dropout(p, seed)</c> draws.</summary>
    public void Reset(ulong seed) => rng = new SplitMix64(seed);

    public Tensor Apply(Tensor x)
    {
        if (!Active) return x;
        var mask = new float[x.Length];
        float scale = (float)(1.0 / (1.0 - P));
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() >= P ? scale : 0f;
        return Ops.Mul(x, Tensor.FromArray(x.Device, mask, x.Shape));
    }
}
