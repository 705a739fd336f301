using WeJepa.Learning;
using WeJepa.Learning.Models;
using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Dynamics;

/// <summary>The learned-dynamics models the trainer and the rollouts know.</summary>
public enum DynamicsModelKind { Hnn, DissipativeHnn, Lnn, Mlp }

/// <summary>
/// One learned vector field over states x = (q, v) (B, 2d), whatever the model: the two places that touch the
/// engine are <see cref="Loss"/> (a training step's forward) and <see cref="Field"/> (a rollout stage).
/// HNNs read v as their momentum coordinate (for the simple pendulum (θ, ω) is canonical up to the constant
/// m·L², which the learned H absorbs).
/// </summary>
public abstract class DynamicsModel : IDisposable
{
    public abstract DynamicsModelKind Kind { get; }
    public abstract int Degrees { get; }
    public abstract ParameterStore Parameters { get; }

    /// <summary>Non-trainable tensors saved beside the parameters (the HNN's <c>J</c>).</summary>
    public virtual IReadOnlyList<ConstantBuffer> Buffers => [];

    /// <summary>The training loss on states x (B, 2d) with their time derivatives dxdt (B, 2d), differentiable in the parameters.</summary>
    public abstract Tensor Loss(Tensor x, Tensor dxdt);

    /// <summary>dx/dt at x (B, 2d), with no graph kept (rollouts).</summary>
    public abstract Tensor Field(Tensor x);

    /// <summary>The quantity <see cref="Loss"/> measures, without a graph (test loss): mean((field(x) − dxdt)²).</summary>
    public virtual Tensor EvaluationLoss(Tensor x, Tensor dxdt)
    {
        var field = Field(x);
        using (Autograd.NoGrad(x.Device)) return Ops.MseLoss(field, dxdt);
    }

    /// <summary>The learned conserved quantity H(x) (B, 1) when the model has one (HNNs), else null.</summary>
    public virtual Tensor? LearnedEnergy(Tensor x) => null;

    /// <summary>True when kick-drift-kick leapfrog is a symplectic integrator of this model's conservative flow.</summary>
    public virtual bool SupportsLeapfrog => false;

    public abstract void Dispose();

    /// <summary>The state_dict name of a model kind in configs and on the command line.</summary>
    public static string Name(DynamicsModelKind kind) => kind switch
    {
        DynamicsModelKind.Hnn => "hnn",
        DynamicsModelKind.DissipativeHnn => "dhnn",
        DynamicsModelKind.Lnn => "lnn",
        _ => "mlp",
    };

    public static DynamicsModelKind Parse(string name) => name switch
    {
        "hnn" => DynamicsModelKind.Hnn,
        "dhnn" => DynamicsModelKind.DissipativeHnn,
        "lnn" => DynamicsModelKind.Lnn,
        "mlp" => DynamicsModelKind.Mlp,
        _ => throw new ArgumentException($"unknown model '{name}' (expected hnn, dhnn, lnn or mlp)"),
    };

    /// <summary>A freshly initialised model (PyTorch's nn.Linear initialisation from <paramref name="seed"/>).</summary>
    public static DynamicsModel Create(Device device, DynamicsModelKind kind, int degrees, int hidden, ulong seed) => kind switch
    {
        DynamicsModelKind.Hnn => new HnnModel(new Hnn(device, hidden, seed, degrees)),
        DynamicsModelKind.DissipativeHnn => new DissipativeHnnModel(new DissipativeHnn(device, hidden, seed, degrees)),
        DynamicsModelKind.Lnn => new LnnModel(new Lnn(device, hidden, seed, degrees)),
        _ => new MlpModel(new Mlp(device, hidden, seed, degrees), degrees),
    };

    sealed class HnnModel(Hnn model) : DynamicsModel
    {
        public override DynamicsModelKind Kind => DynamicsModelKind.Hnn;
        public override int Degrees => model.Degrees;
        public override ParameterStore Parameters => model.Parameters;
        public override IReadOnlyList<ConstantBuffer> Buffers => [model.JBuffer];
        public override Tensor Loss(Tensor x, Tensor dxdt) => model.Loss(x, dxdt);
        public override Tensor Field(Tensor x) => model.TimeDerivative(x, createGraph: false);
        public override Tensor? LearnedEnergy(Tensor x) => NoGradF2(model.F2, x);
        public override bool SupportsLeapfrog => true;
        public override void Dispose() => model.Dispose();
    }

    sealed class DissipativeHnnModel(DissipativeHnn model) : DynamicsModel
    {
        public override DynamicsModelKind Kind => DynamicsModelKind.DissipativeHnn;
        public override int Degrees => model.Degrees;
        public override ParameterStore Parameters => model.Parameters;
        public override IReadOnlyList<ConstantBuffer> Buffers => [model.JBuffer];
        public override Tensor Loss(Tensor x, Tensor dxdt) => model.Loss(x, dxdt);
        public override Tensor Field(Tensor x) => model.TimeDerivative(x, createGraph: false);
        public override Tensor? LearnedEnergy(Tensor x) => NoGradF2(v => Ops.Slice(model.Net.Forward(model.Parameters, v), 1, 1, 1), x);
        public override void Dispose() => model.Dispose();
    }

    /// <summary>
    /// The LNN as trained and rolled out here: L(q, v) = ½|v|² + net(q, v). The kinetic prior makes the mass matrix
    /// ∂²L/∂v² = I + ∂²net/∂v² start near the identity: a freshly initialised tanh net's v-Hessian is indefinite
    /// with eigenvalues of ±0.05, so without it the solve divides by near-zero and training explodes. The weights
    /// stay the seed's <c>net.*</c>; a PyTorch user adds the same ½|v|².
    /// </summary>
    sealed class LnnModel(Lnn model) : DynamicsModel
    {
        public override DynamicsModelKind Kind => DynamicsModelKind.Lnn;
        public override int Degrees => model.Degrees;
        public override ParameterStore Parameters => model.Parameters;

        Tensor Lagrangian(Tensor qv)
        {
            var v = Ops.Slice(qv, 1, Degrees, Degrees);
            return Ops.Add(model.Lagrangian(qv), Ops.Mul(Ops.Sum(Ops.Square(v), 1, keepDims: true), 0.5f));
        }

        Tensor Acceleration(Tensor x, bool createGraph) => Mechanics.LagrangianAcceleration(Lagrangian, x, createGraph);

        /// <summary>Cranmer et al.'s loss on the accelerations mean((q̈(q, v) − a)²), a the v-half of dxdt.</summary>
        public override Tensor Loss(Tensor x, Tensor dxdt) => Ops.MseLoss(Acceleration(x, createGraph: true), Ops.Slice(dxdt, 1, Degrees, Degrees));

        public override Tensor EvaluationLoss(Tensor x, Tensor dxdt)
        {
            var a = Acceleration(x, createGraph: false);
            using (Autograd.NoGrad(x.Device)) return Ops.MseLoss(a, Ops.Slice(dxdt, 1, Degrees, Degrees));
        }

        /// <summary>(q̇, v̇) = (v, q̈(q, v)) through the batched d×d solve.</summary>
        public override Tensor Field(Tensor x)
        {
            var a = Acceleration(x, createGraph: false);
            using (Autograd.NoGrad(x.Device)) return Ops.Concat([Ops.Slice(x, 1, Degrees, Degrees), a], 1);
        }

        public override void Dispose() => model.Dispose();
    }

    sealed class MlpModel(Mlp model, int degrees) : DynamicsModel
    {
        public override DynamicsModelKind Kind => DynamicsModelKind.Mlp;
        public override int Degrees => degrees;
        public override ParameterStore Parameters => model.Parameters;
        public override Tensor Loss(Tensor x, Tensor dxdt) => model.Loss(x, dxdt);
        public override Tensor Field(Tensor x)
        {
            using (Autograd.NoGrad(x.Device)) return model.TimeDerivative(x);
        }
        public override void Dispose() => model.Dispose();
    }

    static Tensor NoGradF2(Func<Tensor, Tensor> f2, Tensor x)
    {
        using (Autograd.NoGrad(x.Device)) return f2(x);
    }
}
