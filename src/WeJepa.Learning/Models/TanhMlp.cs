using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models;

/// <summary>
/// The seeds' network body, <c>nn.Sequential(Linear(in, h), Tanh(), Linear(h, h), Tanh(), Linear(h, out))</c>,
/// with its state_dict names <c>net.0.*</c>, <c>net.2.*</c>, <c>net.4.*</c> (under <see cref="Prefix"/>) and
/// PyTorch's <c>nn.Linear</c> initialisation. Every op it uses is twice differentiable.
/// </summary>
public sealed class TanhMlp
{
    public int Inputs { get; }
    public int Hidden { get; }
    public int Outputs { get; }
    public string Prefix { get; }

    public TanhMlp(int inputs, int hidden, int outputs, string prefix = "net.")
    {
        if (inputs <= 0 || hidden <= 0 || outputs <= 0)
            throw new ArgumentException($"TanhMlp: sizes must be positive (inputs {inputs}, hidden {hidden}, outputs {outputs})");
        (Inputs, Hidden, Outputs, Prefix) = (inputs, hidden, outputs, prefix);
    }

    /// <summary>The parameters in state_dict order.</summary>
    public IEnumerable<ParameterSpec> Parameters =>
    [
        ParameterSpec.Of(Prefix + "0.weight", [Hidden, Inputs], Initializer.LinearWeight),
        ParameterSpec.Of(Prefix + "0.bias", [Hidden], Initializer.LinearBias(Inputs)),
        ParameterSpec.Of(Prefix + "2.weight", [Hidden, Hidden], Initializer.LinearWeight),
        ParameterSpec.Of(Prefix + "2.bias", [Hidden], Initializer.LinearBias(Hidden)),
        ParameterSpec.Of(Prefix + "4.weight", [Outputs, Hidden], Initializer.LinearWeight),
        ParameterSpec.Of(Prefix + "4.bias", [Outputs], Initializer.LinearBias(Hidden)),
    ];

    /// <summary>x (B, Inputs) → (B, Outputs).</summary>
    public Tensor Forward(ParameterStore p, Tensor x)
    {
        if (x.Rank != 2 || x.Shape[1] != Inputs)
            throw new ShapeError($"TanhMlp: expected x (B, {Inputs}), got {Shapes.Format(x.Shape)}");
        var h = Ops.Tanh(Ops.Linear(x, p[Prefix + "0.weight"], p[Prefix + "0.bias"]));
        h = Ops.Tanh(Ops.Linear(h, p[Prefix + "2.weight"], p[Prefix + "2.bias"]));
        return Ops.Linear(h, p[Prefix + "4.weight"], p[Prefix + "4.bias"]);
    }

    /// <summary>
    /// ∇ₓ Σ_b Forward(x)[b, <paramref name="output"/>], x (B, Inputs) → (B, Inputs), by the fused
    /// <see cref="Ops.TanhMlpInputGradient"/>: differentiable once more with respect to the parameters and x
    /// (an HNN's training loss), not twice.
    /// </summary>
    public Tensor InputGradient(ParameterStore p, Tensor x, int output)
    {
        if (x.Rank != 2 || x.Shape[1] != Inputs)
            throw new ShapeError($"TanhMlp: expected x (B, {Inputs}), got {Shapes.Format(x.Shape)}");
        return Ops.TanhMlpInputGradient(x, p[Prefix + "0.weight"], p[Prefix + "0.bias"], p[Prefix + "2.weight"], p[Prefix + "2.bias"],
            p[Prefix + "4.weight"], output);
    }
}
