using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Models;

/// <summary>
/// Hamiltonian and Lagrangian mechanics of one degree of freedom on top of autograd, for any scalar
/// function written with twice-differentiable ops: a network (HNN, LNN) or an analytic H or L (tests).
/// Column and time selections are products with small constant 0/±1 matrices, so everything stays on
/// the tape and a loss built from these can be differentiated with respect to the function's parameters.
/// </summary>
public static class Mechanics
{
    /// <summary>
    /// The vector field (q̇, ṗ) = (∂H/∂p, −∂H/∂q) = ∇H·Jᵀ of <paramref name="hamiltonian"/>: x (B, 2) → (B, 1),
    /// at x (B, 2) = (q, p). <paramref name="createGraph"/> keeps the pass differentiable (training).
    /// </summary>
    public static Tensor HamiltonianField(Func<Tensor, Tensor> hamiltonian, Tensor x, bool createGraph)
    {
        if (x.Rank != 2 || x.Shape[1] != 2) throw new ShapeError($"hamiltonian field: expected x (B, 2) = (q, p), got {Shapes.Format(x.Shape)}");
        var input = Leaf(x);
        var gradH = InputGradient(hamiltonian, input, createGraph);        // (B, 2) = (∂H/∂q, ∂H/∂p)
        return Ops.MatMul(gradH, Tensor.FromArray(x.Device, [0f, -1f, 1f, 0f], 2, 2)); // · Jᵀ, J = [[0, 1], [−1, 0]]
    }

    /// <summary>
    /// The seed's Euler–Lagrange residual loss mean(res²), res = ((∂L/∂v)[:, 1:] − (∂L/∂v)[:, :−1]) / dt − (∂L/∂q)[:, :−1],
    /// for <paramref name="lagrangian"/>: (N, 2) → (N, 1) at q, v (B, T, 1), T ≥ 2.
    /// </summary>
    public static Tensor EulerLagrangeResidualLoss(Func<Tensor, Tensor> lagrangian, Tensor q, Tensor v, float dt)
    {
        if (q.Rank != 3 || q.Shape[2] != 1 || !Shapes.Equal(q.Shape, v.Shape) || q.Shape[1] < 2)
            throw new ShapeError($"euler-lagrange residual: expected q and v (B, T, 1) with T >= 2, got {Shapes.Format(q.Shape)} and {Shapes.Format(v.Shape)}");
        if (!(dt > 0) || !float.IsFinite(dt)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "euler-lagrange residual: dt must be a positive finite number");
        int b = q.Shape[0], t = q.Shape[1];
        var device = q.Device;
        var z = Leaf(Interleave(q, v));                                    // cat([q, v], -1).reshape(B·T, 2)
        var gradL = InputGradient(lagrangian, z, createGraph: true);       // (B·T, 2)
        var dLdq = Ops.Reshape(Ops.MatMul(gradL, Column(device, 0)), b, t);
        var dLdv = Ops.Reshape(Ops.MatMul(gradL, Column(device, 1)), b, t);
        var dLdvDot = Ops.Mul(Ops.MatMul(dLdv, ForwardDifference(device, t)), 1f / dt); // (B, T−1)
        var residual = Ops.Sub(dLdvDot, Ops.MatMul(dLdq, DropLast(device, t)));          // (B, T−1)
        return Ops.Mean(Ops.Mul(residual, residual));
    }

    /// <summary>
    /// q̈ = (∂²L/∂v²)⁻¹(∂L/∂q − ∂²L/∂q∂v·v) at qv (N, 2) = (q, v) → (N, 1), from the gradient of L and the
    /// v-row of its Hessian. No graph is kept (rollouts).
    /// </summary>
    public static Tensor LagrangianAcceleration(Func<Tensor, Tensor> lagrangian, Tensor qv)
    {
        if (qv.Rank != 2 || qv.Shape[1] != 2) throw new ShapeError($"lagrangian acceleration: expected qv (N, 2) = (q, v), got {Shapes.Format(qv.Shape)}");
        var device = qv.Device;
        var z = Leaf(qv);
        var gradL = InputGradient(lagrangian, z, createGraph: true);       // (N, 2)
        var dLdv = Ops.MatMul(gradL, Column(device, 1));                   // (N, 1)
        var hessianRow = Autograd.Grad([dLdv], [z], [Ones(dLdv)])[0]!;     // (N, 2) = (∂²L/∂v∂q, ∂²L/∂v²)
        using (Autograd.NoGrad())
        {
            var dLdq = Ops.MatMul(gradL.Detach(), Column(device, 0));
            var lvq = Ops.MatMul(hessianRow, Column(device, 0));
            var lvv = Ops.MatMul(hessianRow, Column(device, 1));
            var v = Ops.MatMul(qv.Detach(), Column(device, 1));
            return Ops.Div(Ops.Sub(dLdq, Ops.Mul(lvq, v)), lvv);
        }
    }

    /// <summary>∂(Σ f(x))/∂x for f: (N, k) → (N, 1).</summary>
    static Tensor InputGradient(Func<Tensor, Tensor> f, Tensor x, bool createGraph)
    {
        var y = f(x);
        if (y.Rank != 2 || y.Shape[0] != x.Shape[0] || y.Shape[1] != 1)
            throw new ShapeError($"mechanics: the scalar function must map {Shapes.Format(x.Shape)} to ({x.Shape[0]}, 1), got {Shapes.Format(y.Shape)}");
        return Autograd.Grad([y], [x], [Ones(y)], createGraph)[0]!;
    }

    /// <summary>A leaf sharing <paramref name="x"/>'s memory that requires a gradient (the input we differentiate by).</summary>
    static Tensor Leaf(Tensor x)
    {
        var leaf = x.Detach();
        leaf.RequiresGrad = true;
        return leaf;
    }

    static Tensor Ones(Tensor like) => Tensor.Full(like.Device, 1f, like.Shape);

    /// <summary>(B, T, 1) and (B, T, 1) → (B·T, 2) rows (q, v).</summary>
    static Tensor Interleave(Tensor q, Tensor v)
    {
        using (Autograd.NoGrad())
        {
            int n = q.Length;
            var first = Tensor.FromArray(q.Device, [1f, 0f], 1, 2);
            var second = Tensor.FromArray(q.Device, [0f, 1f], 1, 2);
            // q·[1, 0] + v·[0, 1]: a (N, 1)·(1, 2) outer product each, no host round trip.
            return Ops.Add(Ops.MatMul(Ops.Reshape(q, n, 1), first), Ops.MatMul(Ops.Reshape(v, n, 1), second));
        }
    }

    /// <summary>(2, 1) selector of column <paramref name="c"/>.</summary>
    static Tensor Column(Device device, int c) => Tensor.FromArray(device, c == 0 ? [1f, 0f] : [0f, 1f], 2, 1);

    /// <summary>(T, T−1) matrix D with (x·D)[:, s] = x[:, s+1] − x[:, s].</summary>
    static Tensor ForwardDifference(Device device, int t)
    {
        var d = new float[t * (t - 1)];
        for (int s = 0; s < t - 1; s++)
        {
            d[s * (t - 1) + s] = -1f;
            d[(s + 1) * (t - 1) + s] = 1f;
        }
        return Tensor.FromArray(device, d, t, t - 1);
    }

    /// <summary>(T, T−1) matrix S with (x·S)[:, s] = x[:, s] (drops the last time step).</summary>
    static Tensor DropLast(Device device, int t)
    {
        var d = new float[t * (t - 1)];
        for (int s = 0; s < t - 1; s++) d[s * (t - 1) + s] = 1f;
        return Tensor.FromArray(device, d, t, t - 1);
    }
}
