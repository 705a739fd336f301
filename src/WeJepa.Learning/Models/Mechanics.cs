namespace WeJepa.Learning.Models;

/// <summary>
/// Hamiltonian and Lagrangian mechanics of one degree of freedom on top of autograd, for any scalar
/// function written with twice-differentiable ops: a network (HNN, LNN) or an analytic H or L (tests).
/// Everything stays on the tape, so a loss built from these can be differentiated with respect to the
/// function's parameters (PyTorch's <c>create_graph=True</c>).
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
        var gradH = Ops.Split(InputGradient(hamiltonian, input, createGraph), 1, 1, 1); // ∂H/∂q, ∂H/∂p: (B, 1) each
        Release(input);
        return Ops.Concat([gradH[1], Ops.Neg(gradH[0])], 1);
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
        Tensor z;
        using (Autograd.NoGrad()) z = Ops.Reshape(Ops.Concat([q, v], 2), b * t, 2);   // cat([q, v], -1).reshape(B·T, 2)
        var input = Leaf(z);
        var gradL = Ops.Split(InputGradient(lagrangian, input, createGraph: true), 1, 1, 1);
        Release(input);
        var dLdq = Ops.Reshape(gradL[0], b, t);
        var dLdv = Ops.Reshape(gradL[1], b, t);
        var dLdvDot = Ops.Mul(Ops.Sub(Ops.Slice(dLdv, 1, 1, t - 1), Ops.Slice(dLdv, 1, 0, t - 1)), 1f / dt); // (B, T−1)
        var residual = Ops.Sub(dLdvDot, Ops.Slice(dLdq, 1, 0, t - 1));
        return Ops.Mean(Ops.Square(residual));
    }

    /// <summary>
    /// q̈ = (∂²L/∂v²)⁻¹(∂L/∂q − ∂²L/∂q∂v·v) at qv (N, 2) = (q, v) → (N, 1), from the gradient of L and the
    /// v-row of its Hessian. No graph is kept (rollouts).
    /// </summary>
    public static Tensor LagrangianAcceleration(Func<Tensor, Tensor> lagrangian, Tensor qv)
    {
        if (qv.Rank != 2 || qv.Shape[1] != 2) throw new ShapeError($"lagrangian acceleration: expected qv (N, 2) = (q, v), got {Shapes.Format(qv.Shape)}");
        var z = Leaf(qv);
        var gradL = Ops.Split(InputGradient(lagrangian, z, createGraph: true), 1, 1, 1); // ∂L/∂q, ∂L/∂v
        var hessianRow = Ops.Split(Autograd.Grad([gradL[1]], [z], [Ones(gradL[1])])[0]!, 1, 1, 1); // ∂²L/∂v∂q, ∂²L/∂v²
        Release(z);
        using (Autograd.NoGrad())
        {
            var v = Ops.Slice(qv, 1, 1, 1);
            return Ops.Div(Ops.Sub(gradL[0].Detach(), Ops.Mul(hessianRow[0], v)), hessianRow[1]);
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

    /// <summary>
    /// The input was only differentiated by: a later backward (the parameters') must neither compute nor
    /// store a gradient for it (Backward would give the view a gradient buffer that nothing frees).
    /// </summary>
    static void Release(Tensor leaf) => leaf.RequiresGrad = false;

    static Tensor Ones(Tensor like) => Tensor.Full(like.Device, 1f, like.Shape);
}
