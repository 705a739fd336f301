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
