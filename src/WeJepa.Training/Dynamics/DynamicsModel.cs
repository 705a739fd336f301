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
/// With <see cref="TimeInput"/> (a driven system) the model's input is the state with the time appended,
/// (B, 2d + 1) = (q, v, t), and its field stays (B, 2d).
/// HNNs read v as their momentum coordinate (for the simple pendulum (θ, ω) is canonical up to the constant
/// m·L², which the learned H absorbs; for d ≥ 2 the trainer hands them canonical momenta, see <see cref="Data.CanonicalMomenta"/>).
/// </summary>
public abstract class DynamicsModel : IDisposable
{
    public abstract DynamicsModelKind Kind { get; }
    public abstract int Degrees { get; }
    public abstract ParameterStore Parameters { get; }

    /// <summary>True when the model's input carries the time as its last column (driven systems).</summary>
    public virtual bool TimeInput => false;

    /// <summary>
    /// True when the model's second state half is the canonical momentum p = M(q)·v of the system it was trained on
    /// (an HNN of d ≥ 2: see <see cref="Data.CanonicalMomenta"/>), not the velocity. Its rollouts take and give (q, p).
    /// </summary>
    public bool Canonical { get; init; }

    /// <summary>Columns of the model's input: 2d, plus one for the time.</summary>
    public int InputSize => 2 * Degrees + (TimeInput ? 1 : 0);

    /// <summary>Non-trainable tensors saved beside the parameters (the HNN's <c>J</c>).</summary>
    public virtual IReadOnlyList<ConstantBuffer> Buffers => [];

    /// <summary>The training loss on inputs x (B, <see cref="InputSize"/>) with the states' time derivatives dxdt (B, 2d), differentiable in the parameters.</summary>
    public abstract Tensor Loss(Tensor x, Tensor dxdt);

    /// <summary>dx/dt (B, 2d) at inputs x (B, <see cref="InputSize"/>), with no graph kept (rollouts).</summary>
    public abstract Tensor Field(Tensor x);

    /// <summary>The quantity <see cref="Loss"/> measures, without a graph (test loss): mean((field(x) − dxdt)²).</summary>
    public virtual Tensor EvaluationLoss(Tensor x, Tensor dxdt)
    {
        var field = Field(x);
        using (Autograd.NoGrad(x.Device)) return Ops.MseLoss(field, dxdt);
    }

    /// <summary>The learned conserved quantity H(x) (B, 1) at inputs x when the model has one (HNNs), else null.</summary>
    public virtual Tensor? LearnedEnergy(Tensor x) => null;

    /// <summary>True when kick-drift-kick leapfrog is a symplectic integrator of this model's conservative flow.</summary>
    public virtual bool SupportsLeapfrog => false;

    /// <summary>The fused rollout path of an HNN-family model (its net and which outputs form the field), else null.</summary>
    public virtual HamiltonianNet? Hamiltonian => null;

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

    /// <summary>
    /// A freshly initialised model (PyTorch's nn.Linear initialisation from <paramref name="seed"/>); <paramref name="timeInput"/>
    /// widens the net's input by the time column (not for the LNN, whose acceleration solve differentiates every input).
    /// </summary>
    public static DynamicsModel Create(Device device, DynamicsModelKind kind, int degrees, int hidden, ulong seed, bool timeInput = false, bool canonical = false)
    {
        if (degrees < 1) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "dynamics model: degrees of freedom must be >= 1");
        if (timeInput && kind == DynamicsModelKind.Lnn) throw new ArgumentException("lnn: time as an input is not supported (use hnn, dhnn or mlp for a driven system)");
        int inputs = 2 * degrees + (timeInput ? 1 : 0);
        return kind switch
        {
            DynamicsModelKind.Hnn or DynamicsModelKind.DissipativeHnn =>
                new HamiltonianModel(kind, NetStore(device, new TanhMlp(inputs, hidden, 2), seed), degrees, timeInput) { Canonical = canonical },
            DynamicsModelKind.Lnn => new LnnModel(new Lnn(device, hidden, seed, degrees)) { Canonical = canonical },
            _ => new MlpModel(NetStore(device, new TanhMlp(inputs, hidden, 2 * degrees), seed), degrees, timeInput) { Canonical = canonical },
        };
    }

    static (TanhMlp Net, ParameterStore Parameters) NetStore(Device device, TanhMlp net, ulong seed) => (net, ParameterStore.Create(device, net.Parameters, seed));

    /// <summary>
    /// The HNN (<see cref="Hnn"/>: field J∇F₂) and the dissipative HNN (<see cref="DissipativeHnn"/>: J∇F₂ + ∇F₁) over a
    /// 2→h→h→2 tanh net, with the same weights names and <c>J</c>; with a time input the gradients' time column is dropped
    /// (H(q, p, t): the field is J∇_(q,p)H at that time).
    /// </summary>
    sealed class HamiltonianModel(DynamicsModelKind kind, (TanhMlp Net, ParameterStore Parameters) net, int degrees, bool timeInput) : DynamicsModel
    {
        readonly HamiltonianNet fused = new(net.Net, net.Parameters, degrees, kind == DynamicsModelKind.DissipativeHnn);

        public override DynamicsModelKind Kind => kind;
        public override int Degrees => degrees;
        public override bool TimeInput => timeInput;
        public override ParameterStore Parameters => net.Parameters;
        public override IReadOnlyList<ConstantBuffer> Buffers => [HamiltonianNet.J(degrees)];
        public override HamiltonianNet Hamiltonian => fused;
        public override bool SupportsLeapfrog => kind == DynamicsModelKind.Hnn;

        Tensor StateGradient(Tensor x, int output)
        {
            var g = net.Net.InputGradient(net.Parameters, x, output);
            return timeInput ? Ops.Slice(g, 1, 0, 2 * degrees) : g;
        }

        Tensor TimeDerivative(Tensor x)
        {
            var field = Mechanics.HamiltonianField(StateGradient(x, output: 1));
            return kind == DynamicsModelKind.DissipativeHnn ? Ops.Add(field, StateGradient(x, output: 0)) : field;
        }

        public override Tensor Loss(Tensor x, Tensor dxdt) => Ops.MseLoss(TimeDerivative(x), dxdt);

        public override Tensor Field(Tensor x)
        {
            using (Autograd.NoGrad(x.Device)) return TimeDerivative(x);
        }

        public override Tensor? LearnedEnergy(Tensor x)
        {
            using (Autograd.NoGrad(x.Device)) return Ops.Slice(net.Net.Forward(net.Parameters, x), 1, 1, 1);
        }

        public override void Dispose() => net.Parameters.Dispose();
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

    /// <summary>The baseline (<see cref="Mlp"/>): the net regresses dx/dt directly.</summary>
    sealed class MlpModel((TanhMlp Net, ParameterStore Parameters) net, int degrees, bool timeInput) : DynamicsModel
    {
        public override DynamicsModelKind Kind => DynamicsModelKind.Mlp;
        public override int Degrees => degrees;
        public override bool TimeInput => timeInput;
        public override ParameterStore Parameters => net.Parameters;
        public override Tensor Loss(Tensor x, Tensor dxdt) => Ops.MseLoss(net.Net.Forward(net.Parameters, x), dxdt);
        public override Tensor Field(Tensor x)
        {
            using (Autograd.NoGrad(x.Device)) return net.Net.Forward(net.Parameters, x);
        }
        public override void Dispose() => net.Parameters.Dispose();
    }
}
