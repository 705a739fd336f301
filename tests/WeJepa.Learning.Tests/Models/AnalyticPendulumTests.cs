using WeJepa.Learning.Models;
using WeJepa.Learning.Tests.Support;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Learning.Tests.Models;

/// <summary>
/// The mechanics routines on the analytic pendulum, where the answers are exact:
/// H = ½p² − cos q gives (q̇, ṗ) = (p, −sin q); L = ½v² + cos q gives q̈ = −sin q (∂²L/∂v² = 1, ∂²L/∂q∂v = 0),
/// and semi-implicit Euler data satisfy the discrete Euler–Lagrange residual exactly.
/// </summary>
public class AnalyticPendulumTests(DeviceSpec spec) : DeviceTest(spec)
{
    static readonly double[] Q = [-2.5, -1.0, -0.3, 0.0, 0.4, 1.2, 2.0, 3.0];
    static readonly double[] P = [0.7, -1.5, 0.2, 1.0, -0.4, 0.0, 2.2, -0.9];

    Tensor States() => T(Q.Zip(P).SelectMany(s => new[] { s.First, s.Second }).ToArray(), Q.Length, 2);

    static Tensor Column(Device device, int c) => Tensor.FromArray(device, c == 0 ? [1f, 0f] : [0f, 1f], 2, 1);

    /// <summary>½·y² + sign·cos(x) with x, y the columns of s (N, 2) → (N, 1).</summary>
    static Tensor HalfSquarePlusCos(Tensor s, float sign)
    {
        var x = Learning.Ops.MatMul(s, Column(s.Device, 0));
        var y = Learning.Ops.MatMul(s, Column(s.Device, 1));
        return Learning.Ops.Add(Learning.Ops.Mul(Learning.Ops.Mul(y, y), 0.5f), Learning.Ops.Mul(Learning.Ops.Cos(x), sign));
    }

    [Test]
    public void HamiltonianFieldIsExact()
    {
        var field = Mechanics.HamiltonianField(s => HalfSquarePlusCos(s, -1f), States(), createGraph: false).ToArray();
        for (int i = 0; i < Q.Length; i++)
        {
            Assert.That(field[2 * i], Is.EqualTo(P[i]).Within(1e-6), $"q̇ at state {i}");
            Assert.That(field[2 * i + 1], Is.EqualTo(-Math.Sin(Q[i])).Within(1e-6), $"ṗ at state {i}");
        }
    }

    [Test]
    public void FieldOfComputedStatesPassesGradientsBackToWhatComputedThem()
    {
        // States x = s·x₀ from a leaf s (as an encoder's output would be): Σ field = Σ (s·p₀ − sin(s·q₀)),
        // so d/ds = Σ (p₀ − q₀·cos(s·q₀)), which backward must deliver through the second-order graph.
        const double scale = 0.8;
        var s = Leaf([scale], 1);
        var x = Learning.Ops.Mul(States(), s);
        var field = Mechanics.HamiltonianField(state => HalfSquarePlusCos(state, -1f), x, createGraph: true);
        Autograd.Backward(Learning.Ops.Sum(field));
        double expected = Q.Zip(P).Sum(qp => qp.Second - qp.First * Math.Cos(scale * qp.First));
        Assert.That(s.Grad!.Item(), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void LagrangianAccelerationIsExact()
    {
        var qdd = Mechanics.LagrangianAcceleration(s => HalfSquarePlusCos(s, 1f), States());
        Assert.That(qdd.Shape, Is.EqualTo(new[] { Q.Length, 1 }));
        Check.Close(qdd, Q.Select(q => -Math.Sin(q)).ToArray(), 1e-6, 1e-6, "q̈ = −sin q");
    }

    [Test]
    public void EulerLagrangeResidualVanishesOnSemiImplicitEulerData()
    {
        var (q, v) = Trajectories(gravityScale: 1.0);
        var loss = Mechanics.EulerLagrangeResidualLoss(s => HalfSquarePlusCos(s, 1f), q, v, Dt).Item();
        Assert.That(loss, Is.LessThan(1e-9));
    }

    [Test]
    public void EulerLagrangeResidualMeasuresWrongDynamics()
    {
        // Data with twice the gravity: v' = v − 2·dt·sin q, so res = −2 sin q + sin q = −sin q at every step.
        var (q, v) = Trajectories(gravityScale: 2.0);
        var qs = q.ToArray();
        double expected = 0;
        int b = q.Shape[0], t = q.Shape[1];
        for (int i = 0; i < b; i++)
            for (int s = 0; s < t - 1; s++) expected += Math.Pow(Math.Sin(qs[i * t + s]), 2) / (b * (t - 1));
        var loss = Mechanics.EulerLagrangeResidualLoss(s => HalfSquarePlusCos(s, 1f), q, v, Dt).Item();
        Assert.That(loss, Is.EqualTo(expected).Within(1e-4).Percent);
    }

    const float Dt = 0.125f; // a power of two keeps v' − v = −dt·g·sin q exact enough in float32

    (Tensor q, Tensor v) Trajectories(double gravityScale)
    {
        const int b = 3, t = 6;
        var (qs, vs) = (new double[b * t], new double[b * t]);
        for (int i = 0; i < b; i++)
        {
            float q = (float)(0.5 * i - 0.8), v = (float)(0.3 * i);
            for (int s = 0; s < t; s++)
            {
                (qs[i * t + s], vs[i * t + s]) = (q, v);
                v = (float)(v - Dt * gravityScale * Math.Sin(q));
                q = q + Dt * v;
            }
        }
        return (T(qs, b, t, 1), T(vs, b, t, 1));
    }

    // ---------------------------------------------------------------- two degrees of freedom

    static Tensor Col(Tensor s, int c) => Learning.Ops.Slice(s, 1, c, 1);

    [Test]
    public void TwoDegreeHamiltonianFieldIsExact()
    {
        // H = ½(p₁² + p₂²) − cos q₁ − cos q₂ + k·q₁·q₂ → q̇ = p, ṗ = (−sin q₁ − k·q₂, −sin q₂ − k·q₁)
        const float k = 0.3f;
        Tensor H(Tensor s)
        {
            var (q1, q2, p1, p2) = (Col(s, 0), Col(s, 1), Col(s, 2), Col(s, 3));
            var kinetic = Learning.Ops.Mul(Learning.Ops.Add(Learning.Ops.Square(p1), Learning.Ops.Square(p2)), 0.5f);
            var potential = Learning.Ops.Sub(Learning.Ops.Mul(Learning.Ops.Mul(q1, q2), k), Learning.Ops.Add(Learning.Ops.Cos(q1), Learning.Ops.Cos(q2)));
            return Learning.Ops.Add(kinetic, potential);
        }
        var states = Rand.Floats(4 * 6, -2, 2, seed: 5);
        var field = Mechanics.HamiltonianField(H, T(states, 6, 4), createGraph: false).ToArray();
        for (int i = 0; i < 6; i++)
        {
            var (q1, q2, p1, p2) = (states[4 * i], states[4 * i + 1], states[4 * i + 2], states[4 * i + 3]);
            Check.Close(field[(4 * i)..(4 * i + 4)], [p1, p2, -Math.Sin(q1) - k * q2, -Math.Sin(q2) - k * q1], 1e-6, 1e-5, $"field at state {i}");
        }
    }

    [Test]
    public void TwoDegreeLagrangianAccelerationSolvesTheMassMatrix()
    {
        // L = ½(v₁² + v₂²) + ½k·v₁v₂ + cos q₁ + cos q₂ + c·q₁·v₂: M = [[1, k/2], [k/2, 1]], ∂²L/∂v₂∂q₁ = c, so
        // M·q̈ = (−sin q₁ + c·v₂, −sin q₂ − c·v₁).
        const float k = 0.8f, c = 0.6f;
        Tensor L(Tensor s)
        {
            var (q1, q2, v1, v2) = (Col(s, 0), Col(s, 1), Col(s, 2), Col(s, 3));
            var kinetic = Learning.Ops.Add(Learning.Ops.Mul(Learning.Ops.Add(Learning.Ops.Square(v1), Learning.Ops.Square(v2)), 0.5f),
                Learning.Ops.Mul(Learning.Ops.Mul(v1, v2), 0.5f * k));
            var rest = Learning.Ops.Add(Learning.Ops.Add(Learning.Ops.Cos(q1), Learning.Ops.Cos(q2)), Learning.Ops.Mul(Learning.Ops.Mul(q1, v2), c));
            return Learning.Ops.Add(kinetic, rest);
        }
        var states = Rand.Floats(4 * 6, -2, 2, seed: 6);
        var qdd = Mechanics.LagrangianAcceleration(L, T(states, 6, 4));
        Assert.That(qdd.Shape, Is.EqualTo(new[] { 6, 2 }));
        var expected = new double[12];
        for (int i = 0; i < 6; i++)
        {
            var (q1, q2, v1, v2) = (states[4 * i], states[4 * i + 1], states[4 * i + 2], states[4 * i + 3]);
            double r1 = -Math.Sin(q1) + c * v2, r2 = -Math.Sin(q2) - c * v1, m = k / 2.0, det = 1 - m * m;
            (expected[2 * i], expected[2 * i + 1]) = ((r1 - m * r2) / det, (r2 - m * r1) / det);
        }
        Check.Close(qdd, expected, 1e-5, 1e-5, "q̈ of the coupled two-degree Lagrangian");
    }

    [Test]
    public void TwoDegreeResidualVanishesOnSemiImplicitEulerData()
    {
        const int b = 2, t = 5;
        var (qs, vs) = (new double[b * t * 2], new double[b * t * 2]);
        for (int i = 0; i < b; i++)
            for (int dof = 0; dof < 2; dof++)
            {
                float q = 0.4f * (i + 1) - 0.3f * dof, v = 0.2f * dof - 0.1f * i;
                for (int s = 0; s < t; s++)
                {
                    (qs[(i * t + s) * 2 + dof], vs[(i * t + s) * 2 + dof]) = (q, v);
                    v = (float)(v - Dt * Math.Sin(q));
                    q += Dt * v;
                }
            }
        Tensor L(Tensor s) => Learning.Ops.Add(
            Learning.Ops.Mul(Learning.Ops.Add(Learning.Ops.Square(Col(s, 2)), Learning.Ops.Square(Col(s, 3))), 0.5f),
            Learning.Ops.Add(Learning.Ops.Cos(Col(s, 0)), Learning.Ops.Cos(Col(s, 1))));
        Assert.That(Mechanics.EulerLagrangeResidualLoss(L, T(qs, b, t, 2), T(vs, b, t, 2), Dt).Item(), Is.LessThan(1e-9));
    }

    [Test]
    public void OddStateWidthsAreShapeErrors()
    {
        Assert.That(() => Mechanics.HamiltonianField(s => s, T([1, 2, 3], 1, 3), createGraph: false),
            Throws.TypeOf<ShapeError>().With.Message.Contains("(N, 2d)"));
    }
}
