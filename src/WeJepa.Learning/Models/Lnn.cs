using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// The seed's Lagrangian neural network: L = net(q, v) with net 2d→256→256→1 (tanh; d = 1 for the
/// pendulum, 2 for the double pendulum), trained on the Euler–Lagrange residual (<see cref="Mechanics.EulerLagrangeResidualLoss"/>) and
/// rolled out with q̈ = (∂²L/∂v²)⁻¹(∂L/∂q − ∂²L/∂q∂v·v) (<see cref="Mechanics.LagrangianAcceleration"/>).
/// </summary>
public sealed class Lnn : IDisposable
{
    public TanhMlp Net { get; }
    public ParameterStore Parameters { get; }

    /// <summary>Degrees of freedom d: states are (q, v) with d values each.</summary>
    public int Degrees { get; }

    public Lnn(Device device, int hidden = 256, ulong seed = 0, int degrees = 1)
    {
        if (degrees is < 1 or > 2) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "lnn: 1 or 2 degrees of freedom");
        Degrees = degrees;
        Net = new TanhMlp(2 * degrees, hidden, 1);
        Parameters = ParameterStore.Create(device, Net.Parameters, seed);
    }

    /// <summary>qv (N, 2d) = (q, v) → L (N, 1).</summary>
    public Tensor Lagrangian(Tensor qv) => Net.Forward(Parameters, qv);

    /// <summary>mean(res²) over batch, time and d; q, v (B, T, d), T ≥ 2, dt > 0 the sampling interval.</summary>
    public Tensor ResidualLoss(Tensor q, Tensor v, float dt) => Mechanics.EulerLagrangeResidualLoss(Lagrangian, q, v, dt);

    /// <summary>q̈ at qv (N, 2d) → (N, d); <paramref name="createGraph"/> keeps it differentiable in the parameters.</summary>
    public Tensor Acceleration(Tensor qv, bool createGraph = false) => Mechanics.LagrangianAcceleration(Lagrangian, qv, createGraph);

    public void Dispose() => Parameters.Dispose();
}
