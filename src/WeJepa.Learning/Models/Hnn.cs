using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// The seed's Hamiltonian neural network: (F₁, F₂) = net(q, p) with net 2→256→256→2 (tanh), and the
/// vector field (q̇, ṗ) = ∇F₂·Jᵀ = (∂F₂/∂p, −∂F₂/∂q), J = [[0, 1], [−1, 0]]. Only F₂ is used, so the
/// last layer's bias (and F₁'s row) get zero gradient, exactly as in PyTorch. With d = 2 degrees of
/// freedom (double pendulum) the input is (q₁, q₂, p₁, p₂) and J the block form [[0, I], [−I, 0]].
/// </summary>
public sealed class Hnn : IDisposable
{
    /// <summary>The seed's <c>register_buffer("J", …)</c>: saved with the weights so PyTorch's strict
    /// <c>load_state_dict</c> accepts our files; on load it must hold exactly this value.</summary>
    public static readonly ConstantBuffer J = new("J", [2, 2], [0f, 1f, -1f, 0f]);

    /// <summary>This model's J for its weights files: the block form [[0, I], [−I, 0]] of size 2d (<see cref="J"/> for d = 1).</summary>
    public ConstantBuffer JBuffer => HamiltonianNet.J(Degrees);

    public TanhMlp Net { get; }
    public ParameterStore Parameters { get; }

    /// <summary>Degrees of freedom d: states are (q, p) with d values each.</summary>
    public int Degrees { get; }

    public Hnn(Device device, int hidden = 256, ulong seed = 0, int degrees = 1)
    {
        if (degrees < 1) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "hnn: degrees of freedom must be >= 1");
        Degrees = degrees;
        Net = new TanhMlp(2 * degrees, hidden, 2);
        Parameters = ParameterStore.Create(device, Net.Parameters, seed);
    }

    /// <summary>F₂ = net(x)[:, 1:2], x (B, 2d) → (B, 1).</summary>
    public Tensor F2(Tensor x) => Ops.Slice(Net.Forward(Parameters, x), 1, 1, 1);

    /// <summary>
    /// x (B, 2d) = (q, p) → field (B, 2d). <paramref name="createGraph"/> keeps the input-gradient pass on the
    /// tape so a loss on the field can be differentiated with respect to the parameters (training). ∇F₂ comes from
    /// the fused <see cref="TanhMlp.InputGradient"/> (the same numbers as <see cref="Mechanics.HamiltonianField(Func{Tensor, Tensor}, Tensor, bool)"/>
    /// on <see cref="F2"/>, in a few passes instead of a generic double backward).
    /// </summary>
    public Tensor TimeDerivative(Tensor x, bool createGraph = true)
    {
        using (createGraph ? null : Autograd.NoGrad(Parameters.Device))
            return Mechanics.HamiltonianField(Net.InputGradient(Parameters, x, output: 1));
    }

    /// <summary>mean((field(x) − dxdt)²); x, dxdt (B, 2d).</summary>
    public Tensor Loss(Tensor x, Tensor dxdt) => DynamicsLoss.Mse("hnn", TimeDerivative(x), dxdt);

    public void Dispose() => Parameters.Dispose();
}
