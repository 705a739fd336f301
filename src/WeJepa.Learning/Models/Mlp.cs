using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// The baseline dynamics model: a plain MLP 2d→256→256→2d (tanh, d = 1 by default) that regresses the time derivative
/// (q̇, ṗ) directly, with no physics structure. Loss = mean((net(x) − dxdt)²).
/// </summary>
public sealed class Mlp : IDisposable
{
    public TanhMlp Net { get; }
    public ParameterStore Parameters { get; }

    public Mlp(Device device, int hidden = 256, ulong seed = 0, int degrees = 1)
    {
        if (degrees < 1) throw new ArgumentOutOfRangeException(nameof(degrees), degrees, "mlp: degrees of freedom must be >= 1");
        Net = new TanhMlp(2 * degrees, hidden, 2 * degrees);
        Parameters = ParameterStore.Create(device, Net.Parameters, seed);
    }

    /// <summary>x (B, 2d) = (q, p) → predicted dxdt (B, 2d).</summary>
    public Tensor TimeDerivative(Tensor x) => Net.Forward(Parameters, x);

    /// <summary>mean((net(x) − dxdt)²); x, dxdt (B, 2d).</summary>
    public Tensor Loss(Tensor x, Tensor dxdt) => DynamicsLoss.Mse("mlp", TimeDerivative(x), dxdt);

    public void Dispose() => Parameters.Dispose();
}

/// <summary>The regression loss shared by the dynamics models.</summary>
static class DynamicsLoss
{
    /// <summary>mean((prediction − target)²) with a shape check naming the model.</summary>
    public static Tensor Mse(string model, Tensor prediction, Tensor target)
    {
        if (!Shapes.Equal(prediction.Shape, target.Shape))
            throw new ShapeError($"{model}: target {Shapes.Format(target.Shape)} does not match the prediction {Shapes.Format(prediction.Shape)}");
        var error = Ops.Sub(prediction, target);
        return Ops.Mean(Ops.Mul(error, error));
    }
}
