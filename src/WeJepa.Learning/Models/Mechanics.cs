namespace WeJepa.Learning.Models;

/// <summary>
/// Hamiltonian and Lagrangian mechanics on top of autograd for any scalar function written with
/// twice-differentiable ops: a network (HNN, LNN) or an analytic H or L (tests). States hold d degrees of
/// freedom as (q₁…q_d, p₁…p_d) or (q₁…q_d, v₁…v_d); the seed's pendulum is d = 1. Everything stays on the
/// tape, so a loss built from these can be differentiated with respect to the function's parameters
/// (PyTorch's <c>create_graph=True</c>).
/// </summary>
public static class Mechanics
{
    /// <summary>
    /// The vector field (q̇, ṗ) = (∂H/∂p, −∂H/∂q) = ∇H·Jᵀ of <paramref name="hamiltonian"/>: (B, 2d) → (B, 1),
    /// at x (B, 2d) = (q, p). <paramref name="createGraph"/> keeps the pass differentiable (training).
    /// </summary>
    public static Tensor HamiltonianField(Func<Tensor, Tensor> hamiltonian, Tensor x, bool createGraph)
    {
        Degrees("hamiltonian field", x, "x", "(q, p)");
        Tensor Field()
        {
            var (input, ownLeaf) = DifferentiableInput(x);
            var gradH = InputGradient(hamiltonian, input, createGraph);
            if (ownLeaf) Release(input);
            return HamiltonianField(gradH);
        }
        return createGraph ? Field() : Recording(x, Field);
    }

    /// <summary>(q̇, ṗ) = (∂H/∂p, −∂H/∂q) from ∇H (B, 2d) = (∂H/∂q, ∂H/∂p), e.g. a fused input gradient.</summary>
    public static Tensor HamiltonianField(Tensor gradH)
    {
        int d = Degrees("hamiltonian field", gradH, "gradH", "(∂H/∂q, ∂H/∂p)");
        var parts = Ops.Split(gradH, 1, d, d);
        return Ops.Concat([parts[1], Ops.Neg(parts[0])], 1);
    }

    /// <summary>
    /// The seed's Euler–Lagrange residual loss mean(res²), res = ((∂L/∂v)[:, 1:] − (∂L/∂v)[:, :−1]) / dt − (∂L/∂q)[:, :−1],
    /// for <paramref name="lagrangian"/>: (N, 2d) → (N, 1) at q, v (B, T, d), T ≥ 2; the mean runs over batch, time and d.
    /// </summary>
    public static Tensor EulerLagrangeResidualLoss(Func<Tensor, Tensor> lagrangian, Tensor q, Tensor v, float dt)
    {
        if (q.Rank != 3 || !Shapes.Equal(q.Shape, v.Shape) || q.Shape[1] < 2)
            throw new ShapeError($"euler-lagrange residual: expected q and v (B, T, d) with T >= 2, got {Shapes.Format(q.Shape)} and {Shapes.Format(v.Shape)}");
        if (!(dt > 0) || !float.IsFinite(dt)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "euler-lagrange residual: dt must be a positive finite number");
        int b = q.Shape[0], t = q.Shape[1], d = q.Shape[2];
        var (input, ownLeaf) = DifferentiableInput(Ops.Reshape(Ops.Concat([q, v], 2), b * t, 2 * d)); // cat([q, v], -1).reshape(B·T, 2d)
        var gradL = Ops.Split(InputGradient(lagrangian, input, createGraph: true), 1, d, d);
        if (ownLeaf) Release(input);
        var dLdq = Ops.Reshape(gradL[0], b, t, d);
        var dLdv = Ops.Reshape(gradL[1], b, t, d);
        var dLdvDot = Ops.Mul(Ops.Sub(Ops.Slice(dLdv, 1, 1, t - 1), Ops.Slice(dLdv, 1, 0, t - 1)), 1f / dt); // (B, T−1, d)
        var residual = Ops.Sub(dLdvDot, Ops.Slice(dLdq, 1, 0, t - 1));
        return Ops.Mean(Ops.Square(residual));
    }

    /// <summary>
    /// q̈ = (∂²L/∂v²)⁻¹(∂L/∂q − ∂²L/∂q∂v·v) at qv (N, 2d) = (q, v) → (N, d), for d = 1 or 2 (the pendulums), from
    /// the gradient of L and the d v-rows of its Hessian (one extra backward each); the d×d solve is in closed
    /// form. <paramref name="createGraph"/> keeps the whole solve on the tape so a loss on q̈ trains the
    /// parameters (Cranmer et al.'s acceleration loss: third derivatives of L); without it no graph is kept (rollouts).
    /// </summary>
    public static Tensor LagrangianAcceleration(Func<Tensor, Tensor> lagrangian, Tensor qv, bool createGraph = false) =>
        Recording(qv, () => Acceleration(lagrangian, qv, createGraph));

    /// <summary>
    /// Runs <paramref name="body"/> where ops record: in the caller's step when it records, else in a step of our own
    /// whose result is handed to the enclosing step (or the caller). Inference (a rollout) needs input gradients too.
    /// </summary>
    static Tensor Recording(Tensor like, Func<Tensor> body)
    {
        if (Autograd.IsGradEnabled(like.Device)) return body();
        var tape = new Tape(like.Device);
        return tape.Step(() => tape.Keep(body()));
    }

    static Tensor Acceleration(Func<Tensor, Tensor> lagrangian, Tensor qv, bool createGraph)
    {
        int d = Degrees("lagrangian acceleration", qv, "qv", "(q, v)");
        if (d > 2) throw new ShapeError($"lagrangian acceleration: {d} degrees of freedom (qv {Shapes.Format(qv.Shape)}); the closed-form solve covers d = 1 and 2");
        var z = qv.Detach();
        z.RequiresGrad = true;
        var gradL = Ops.Split(InputGradient(lagrangian, z, createGraph: true), 1, d, d); // ∂L/∂q, ∂L/∂v: (N, d)
        var dLdv = Ops.Split(gradL[1], 1, Enumerable.Repeat(1, d).ToArray());
        // Row i of the v-Hessian block: ∂(∂L/∂vᵢ)/∂(q, v) = (∂²L/∂vᵢ∂q, ∂²L/∂vᵢ∂v), (N, 2d).
        var rows = dLdv.Select(g => Autograd.Grad([g], [z], [Ones(g)], createGraph)[0]!).ToArray();
        Release(z);
        using (createGraph ? null : Autograd.NoGrad(qv.Device))
        {
            var v = Ops.Slice(qv, 1, d, d);
            var rhs = new Tensor[d];   // ∂L/∂qᵢ − Σⱼ ∂²L/∂vᵢ∂qⱼ·vⱼ, (N, 1) each
            var mass = new Tensor[d, d]; // ∂²L/∂vᵢ∂vⱼ, (N, 1) each
            var dLdq = Ops.Split(createGraph ? gradL[0] : gradL[0].Detach(), 1, Enumerable.Repeat(1, d).ToArray());
            for (int i = 0; i < d; i++)
            {
                var (mixed, vv) = (Ops.Slice(rows[i], 1, 0, d), Ops.Slice(rows[i], 1, d, d));
                rhs[i] = Ops.Sub(dLdq[i], Ops.Sum(Ops.Mul(mixed, v), 1, keepDims: true));
                for (int j = 0; j < d; j++) mass[i, j] = Ops.Slice(vv, 1, j, 1);
            }
            if (d == 1) return Ops.Div(rhs[0], mass[0, 0]);
            // 2×2 by Cramer's rule: [a b; c e]⁻¹·(r₀, r₁) = (e·r₀ − b·r₁, a·r₁ − c·r₀) / (a·e − b·c).
            var det = Ops.Sub(Ops.Mul(mass[0, 0], mass[1, 1]), Ops.Mul(mass[0, 1], mass[1, 0]));
            var a0 = Ops.Div(Ops.Sub(Ops.Mul(mass[1, 1], rhs[0]), Ops.Mul(mass[0, 1], rhs[1])), det);
            var a1 = Ops.Div(Ops.Sub(Ops.Mul(mass[0, 0], rhs[1]), Ops.Mul(mass[1, 0], rhs[0])), det);
            return Ops.Concat([a0, a1], 1);
        }
    }

    /// <summary>d for a state tensor (N, 2d), or a ShapeError naming the routine.</summary>
    static int Degrees(string op, Tensor x, string name, string layout)
    {
        if (x.Rank != 2 || x.Shape[1] < 2 || x.Shape[1] % 2 != 0)
            throw new ShapeError($"{op}: expected {name} (N, 2d) = {layout}, got {Shapes.Format(x.Shape)}");
        return x.Shape[1] / 2;
    }

    /// <summary>∂(Σ f(x))/∂x for f: (N, k) → (N, 1).</summary>
    static Tensor InputGradient(Func<Tensor, Tensor> f, Tensor x, bool createGraph)
    {
        var y = f(x);
        if (y.Rank != 2 || y.Shape[0] != x.Shape[0] || y.Shape[1] != 1)
            throw new ShapeError($"mechanics: the scalar function must map {Shapes.Format(x.Shape)} to ({x.Shape[0]}, 1), got {Shapes.Format(y.Shape)}");
        return Autograd.Grad([y], [x], [Ones(y)], createGraph)[0]!;
    }

    /// <summary>
    /// What to differentiate by: <paramref name="x"/> itself when it already carries a graph (states predicted
    /// by an encoder: the loss then trains the encoder too, as the seed's <c>requires_grad_</c> on a non-leaf
    /// does), else a new leaf sharing its memory (data) — <c>OwnLeaf</c> says which.
    /// </summary>
    static (Tensor Input, bool OwnLeaf) DifferentiableInput(Tensor x)
    {
        if (x.RequiresGrad) return (x, false);
        var leaf = x.Detach();
        leaf.RequiresGrad = true;
        return (leaf, true);
    }

    /// <summary>
    /// The input was only differentiated by: a later backward (the parameters') must neither compute nor
    /// store a gradient for it.
    /// </summary>
    static void Release(Tensor leaf) => leaf.RequiresGrad = false;

    static Tensor Ones(Tensor like) => Tensor.Full(like.Device, 1f, like.Shape);
}
