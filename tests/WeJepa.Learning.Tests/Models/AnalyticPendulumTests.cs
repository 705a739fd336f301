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
}
