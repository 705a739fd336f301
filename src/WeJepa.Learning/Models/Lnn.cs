using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// The seed's Lagrangian neural network for one degree of freedom: L = net(q, v) with net 2→256→256→1
/// (tanh), trained on the Euler–Lagrange residual (<see cref="Mechanics.EulerLagrangeResidualLoss"/>) and
/// rolled out with q̈ = (∂²L/∂v²)⁻¹(∂L/∂q − ∂²L/∂q∂v·v) (<see cref="Mechanics.LagrangianAcceleration"/>).
/// </summary>
public sealed class Lnn : IDisposable
{
    public TanhMlp Net { get; }
    public ParameterStore Parameters { get; }

    public Lnn(Device device, int hidden = 256, ulong seed = 0)
    {
        Net = new TanhMlp(2, hidden, 1);
        Parameters = ParameterStore.Create(device, Net.Parameters, seed);
    }

    /// <summary>qv (N, 2) = (q, v) → L (N, 1).</summary>
    public Tensor Lagrangian(Tensor qv) => Net.Forward(Parameters, qv);

    /// <summary>mean(res²) over batch and time; q, v (B, T, 1), T ≥ 2, dt > 0 the sampling interval.</summary>
    public Tensor ResidualLoss(Tensor q, Tensor v, float dt) => Mechanics.EulerLagrangeResidualLoss(Lagrangian, q, v, dt);

    /// <summary>q̈ at qv (N, 2) → (N, 1).</summary>
    public Tensor Acceleration(Tensor qv) => Mechanics.LagrangianAcceleration(Lagrangian, qv);

    public void Dispose() => Parameters.Dispose();
}
