using WeJepa.Learning.Parameters;

namespace WeJepa.Learning.Models;

/// <summary>
/// The seeds' network body, <c>nn.Sequential(Linear(in, h), Tanh(), Linear(h, h), Tanh(), Linear(h, out))</c>,
/// with its state_dict names <c>net.0.*</c>, <c>net.2.*</c>, <c>net.4.*</c> (under <see cref="Prefix"/>) and
/// PyTorch's <c>nn.Linear</c> initialisation. Every op it uses is twice differentiable. The parameters are declared
/// once, here, as typed specs; the forward indexes a store with them (any store built from <see cref="Parameters"/>).
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
        W0 = ParameterSpec.Of(prefix + "0.weight", [hidden, inputs], Initializer.LinearWeight);
        B0 = ParameterSpec.Of(prefix + "0.bias", [hidden], Initializer.LinearBias(inputs));
        W1 = ParameterSpec.Of(prefix + "2.weight", [hidden, hidden], Initializer.LinearWeight);
        B1 = ParameterSpec.Of(prefix + "2.bias", [hidden], Initializer.LinearBias(hidden));
        W2 = ParameterSpec.Of(prefix + "4.weight", [outputs, hidden], Initializer.LinearWeight);
        B2 = ParameterSpec.Of(prefix + "4.bias", [outputs], Initializer.LinearBias(hidden));
        Parameters = [W0, B0, W1, B1, W2, B2];
    }

    public ParameterSpec W0 { get; }
    public ParameterSpec B0 { get; }
    public ParameterSpec W1 { get; }
    public ParameterSpec B1 { get; }
    public ParameterSpec W2 { get; }
    public ParameterSpec B2 { get; }

    /// <summary>The parameters in state_dict order.</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>x (B, Inputs) → (B, Outputs).</summary>
    public Tensor Forward(ParameterStore p, Tensor x)
    {
        if (x.Rank != 2 || x.Shape[1] != Inputs)
            throw new ShapeError($"TanhMlp: expected x (B, {Inputs}), got {Shapes.Format(x.Shape)}");
        var h = Ops.Tanh(Ops.Linear(x, p[W0], p[B0]));
        h = Ops.Tanh(Ops.Linear(h, p[W1], p[B1]));
        return Ops.Linear(h, p[W2], p[B2]);
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
        return Ops.TanhMlpInputGradient(x, p[W0], p[B0], p[W1], p[B1], p[W2], output);
    }
}
