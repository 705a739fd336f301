using WeJepa.Learning;
using WeJepa.Learning.Parameters;
using WeJepa.Training.Dynamics;

namespace WeJepa.Training.Tests.Loop;

/// <summary>The pendulum's own field (θ̇, ω̇) = (ω, −(g/L) sin θ) as a <see cref="DynamicsModel"/>: a perfectly learned model.</summary>
sealed class ExactPendulum(double gravityOverLength) : DynamicsModel
{
    readonly ParameterStore parameters = new(CpuDevice.Instance, new ParameterLayout([ParameterSpec.Of("unused", [1], Initializer.Zeros)]), "exact");

    public override DynamicsModelKind Kind => DynamicsModelKind.Mlp;
    public override int Degrees => 1;
    public override ParameterStore Parameters => parameters;
    public override Tensor Loss(Tensor x, Tensor dxdt) => throw new InvalidOperationException("the exact field is not trained");

    public override Tensor Field(Tensor x)
    {
        using var noGrad = Autograd.NoGrad(x.Device);
        var (q, v) = (Ops.Slice(x, 1, 0, 1), Ops.Slice(x, 1, 1, 1));
        return Ops.Concat([v, Ops.Mul(Ops.Sin(q), (float)-gravityOverLength)], 1);
    }

    public override void Dispose() => parameters.Dispose();
}
