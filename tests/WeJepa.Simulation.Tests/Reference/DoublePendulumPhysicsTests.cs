using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Simulation.Tests.Reference;

public class DoublePendulumPhysicsTests
{
    [TestCase(1.0, 0.5, 0.0, 0.0)]
    [TestCase(2.0, -1.0, 0.0, 0.0)]      // chaotic
    [TestCase(3.0, 2.5, 1.0, -2.0)]      // above the pivot, fast
    public void Rk4ConservesEnergyOverTenSeconds(double t1, double t2, double w1, double w2)
    {
        var system = new DoublePendulumDynamics(1.0, 0.7, 1.0, 1.5, 9.81);
        var (_, energy) = PendulumPhysicsTests.Roll(system, Integrator.Rk4, [t1, t2, w1, w2], 1e-3, 10_000);
        var worst = energy.Max(e => Math.Abs(e / energy[0] - 1));
        TestContext.Out.WriteLine($"max |ΔE/E| over 10 s: {worst:E3}");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-6));
    }

    [TestCase(0.3, -0.4, 1.2, -0.7)]
    [TestCase(2.5, 1.0, -3.0, 2.0)]
    [TestCase(-1.0, 2.8, 0.5, 4.0)]
    public void AccelerationsSolveTheEulerLagrangeEquationsOfItsEnergy(double t1, double t2, double w1, double w2)
    {
        // Independent of the closed form: with L = T − V from Energy(), the Euler–Lagrange equations read
        // H_vv·q̈ = ∂L/∂q − H_vq·v (H the Hessian blocks of L), evaluated by central differences.
        var dp = new DoublePendulumDynamics(1.1, 0.8, 1.3, 0.6, 9.81);
        double[] q = [t1, t2], v = [w1, w2];
        double L(double[] qq, double[] vv) { var e = dp.Energy([qq[0], qq[1], vv[0], vv[1]]); return e.Kinetic - e.Potential; }
        double[] Shift(double[] x, int i, double h) { var y = (double[])x.Clone(); y[i] += h; return y; }
        const double h = 1e-4;
        double DLdq(int i) => (L(Shift(q, i, h), v) - L(Shift(q, i, -h), v)) / (2 * h);
        double Hvv(int i, int j) => (L(q, Shift(Shift(v, i, h), j, h)) - L(q, Shift(Shift(v, i, h), j, -h))
                                     - L(q, Shift(Shift(v, i, -h), j, h)) + L(q, Shift(Shift(v, i, -h), j, -h))) / (4 * h * h);
        double Hvq(int i, int j) => (L(Shift(q, j, h), Shift(v, i, h)) - L(Shift(q, j, -h), Shift(v, i, h))
                                     - L(Shift(q, j, h), Shift(v, i, -h)) + L(Shift(q, j, -h), Shift(v, i, -h))) / (4 * h * h);
        var rhs = new[] { DLdq(0) - Hvq(0, 0) * v[0] - Hvq(0, 1) * v[1], DLdq(1) - Hvq(1, 0) * v[0] - Hvq(1, 1) * v[1] };
        double a = Hvv(0, 0), b = Hvv(0, 1), c = Hvv(1, 0), d = Hvv(1, 1), det = a * d - b * c;
        double[] expected = [(d * rhs[0] - b * rhs[1]) / det, (a * rhs[1] - c * rhs[0]) / det];

        var actual = new double[2];
        dp.Accelerations(q, v, 0.0, actual);
        Assert.That(actual[0], Is.EqualTo(expected[0]).Within(1e-5 * (1 + Math.Abs(expected[0]))));
        Assert.That(actual[1], Is.EqualTo(expected[1]).Within(1e-5 * (1 + Math.Abs(expected[1]))));
    }

    [Test]
    public void DampingDrainsEnergy()
    {
        var system = new DoublePendulumDynamics(1.0, 1.0, 1.0, 1.0, 9.81, Damping: 0.5);
        var (_, energy) = PendulumPhysicsTests.Roll(system, Integrator.Rk4, [1.5, -0.5, 0, 0], 1e-3, 10_000);
        Assert.That(energy[^1], Is.LessThan(0.05 * energy[0]));
    }

    [Test]
    public void WithATinySecondMassTheFirstRodIsASimplePendulum()
    {
        // m2 → 0: the first rod no longer feels the second, so θ1 must follow the simple pendulum.
        var dp = new DoublePendulumDynamics(1.2, 0.9, 1.0, 1e-9, 9.81);
        var (states, _) = PendulumPhysicsTests.Roll(dp, Integrator.Rk4, [1.0, -0.3, 0, 0], 1e-3, 3000);
        var (simple, _) = PendulumPhysicsTests.Roll(new PendulumDynamics(1.2, 1.0, 9.81), Integrator.Rk4, [1.0, 0.0], 1e-3, 3000);
        for (var k = 0; k <= 3000; k += 100) Assert.That(states[4 * k], Is.EqualTo(simple[2 * k]).Within(1e-6));
    }

    [Test]
    public void EnergyIsZeroAtRestAndMatchesHandComputedValues()
    {
        var dp = new DoublePendulumDynamics(1.0, 2.0, 3.0, 4.0, 10.0);
        Assert.That(dp.Energy([0, 0, 0, 0]).Total, Is.EqualTo(0.0));
        // θ1 = θ2 = π/2: V = (m1+m2)·g·l1 + m2·g·l2 = 70 + 80; ω1 = 1, ω2 = 0: T = ½·7·1 = 3.5.
        var e = dp.Energy([Math.PI / 2, Math.PI / 2, 1, 0]);
        Assert.That(e.Potential, Is.EqualTo(150.0).Within(1e-12));
        Assert.That(e.Kinetic, Is.EqualTo(3.5).Within(1e-12));
    }
}
