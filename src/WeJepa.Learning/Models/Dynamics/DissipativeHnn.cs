using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// An HNN with a learned dissipation term (Greydanus's <c>field_type='both'</c>, Sosanya &amp; Greydanus's
/// dissipative HNN): the same net 2d→h→2 as <see cref="Hnn"/>, whose second output F₂ is the Hamiltonian and
/// whose first output F₁ a dissipation potential. The field is J∇F₂ + ∇F₁: a rotational (energy-conserving)
/// part plus an irrotational part that can drain energy, e.g. F₁ = −γp²/2 gives a damped pendulum's −γp.
/// Weights carry the HNN's names (<c>net.0.weight</c>, …, <c>J</c>).
/// </summary>
public sealed class DissipativeHnn : IDisposable
{
    readonly Hnn hnn;

    public DissipativeHnn(Device device, int hidden = 256, ulong seed = 0, int degrees = 1) => hnn = new Hnn(device, hidden, seed, degrees);

    public TanhMlp Net => hnn.Net;
    public ParameterStore Parameters => hnn.Parameters;
    public int Degrees => hnn.Degrees;
    public ConstantBuffer JBuffer => hnn.JBuffer;

    /// <summary>x (B, 2d) → J∇F₂ + ∇F₁ (B, 2d); <paramref name="createGraph"/> as in <see cref="Hnn.TimeDerivative"/>.</summary>
    public Tensor TimeDerivative(Tensor x, bool createGraph = true)
    {
        using (createGraph ? null : Autograd.NoGrad(Parameters.Device))
            return Ops.Add(hnn.TimeDerivative(x, createGraph), Net.InputGradient(Parameters, x, output: 0));
    }

    /// <summary>The conservative part alone, J∇F₂ (the learned H's flow).</summary>
    public Tensor ConservativeField(Tensor x, bool createGraph = true) => hnn.TimeDerivative(x, createGraph);

    /// <summary>mean((field(x) − dxdt)²); x, dxdt (B, 2d).</summary>
    public Tensor Loss(Tensor x, Tensor dxdt) => DynamicsLoss.Mse("dissipative hnn", TimeDerivative(x), dxdt);

    public void Dispose() => hnn.Dispose();
}
