using WeJepa.Learning.Parameters;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// The baseline dynamics model: a plain MLP 2→256→256→2 (tanh) that regresses the time derivative
/// (q̇, ṗ) directly, with no physics structure. Loss = mean((net(x) − dxdt)²).
/// </summary>
public sealed class Mlp : IDisposable
{
    public TanhMlp Net { get; }
    public ParameterStore Parameters { get; }

    public Mlp(Device device, int hidden = 256, ulong seed = 0)
    {
        Net = new TanhMlp(2, hidden, 2);
        Parameters = ParameterStore.Create(device, Net.Parameters, seed);
    }

    /// <summary>x (B, 2) = (q, p) → predicted dxdt (B, 2).</summary>
    public Tensor TimeDerivative(Tensor x) => Net.Forward(Parameters, x);

    /// <summary>mean((net(x) − dxdt)²); x, dxdt (B, 2).</summary>
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
