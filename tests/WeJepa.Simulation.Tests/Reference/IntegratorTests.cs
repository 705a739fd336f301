using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Simulation.Tests.Reference;

/// <summary>Each integrator converges at its textbook order; semi-implicit Euler keeps energy bounded.</summary>
public class IntegratorTests
{
    private static readonly PendulumDynamics Pendulum = new(1.0, 1.0, 9.81);
    /// <summary>Undamped but driven: the time argument of every stage must be right to keep the order.</summary>
    private static readonly PendulumDynamics Driven = new(1.0, 1.0, 9.81, DriveAmplitude: 4.0, DriveFrequency: 0.8);

    private static double ErrorAt(IDynamics system, Integrator integrator, double dt, double horizon, double[] exact)
    {
        var steps = (int)Math.Round(horizon / dt);
        var (states, _) = PendulumPhysicsTests.Roll(system, integrator, [1.0, 0.0], dt, steps);
        return Math.Abs(states[2 * steps] - exact[0]) + Math.Abs(states[2 * steps + 1] - exact[1]);
    }

    [TestCase(Integrator.Rk4, 4, false)]
    [TestCase(Integrator.Leapfrog, 2, false)]
    [TestCase(Integrator.SemiImplicitEuler, 1, false)]
    [TestCase(Integrator.Rk4, 4, true)]
    [TestCase(Integrator.Leapfrog, 2, true)]
    [TestCase(Integrator.SemiImplicitEuler, 1, true)]
    public void ConvergesAtItsOrder(Integrator integrator, int order, bool driven)
    {
        var system = driven ? Driven : Pendulum;
        var (exactStates, _) = PendulumPhysicsTests.Roll(system, Integrator.Rk4, [1.0, 0.0], 1e-4, 20_000);
        double[] exact = [exactStates[^2], exactStates[^1]];
        var coarse = ErrorAt(system, integrator, 0.02, 2.0, exact);
        var fine = ErrorAt(system, integrator, 0.01, 2.0, exact);
        var measured = Math.Log2(coarse / fine);
        TestContext.Out.WriteLine($"{integrator}{(driven ? " (driven)" : "")}: error {coarse:E3} → {fine:E3}, observed order {measured:F2}");
        Assert.That(measured, Is.EqualTo(order).Within(0.3));
    }

    [Test]
    public void SemiImplicitEulerEnergyStaysBounded()
    {
        var (_, energy) = PendulumPhysicsTests.Roll(Pendulum, Integrator.SemiImplicitEuler, [1.0, 0.0], 0.01, 50_000);
        var rel = energy.Select(e => Math.Abs(e / energy[0] - 1)).ToArray();
        double first = rel[..5000].Max(), last = rel[^5000..].Max();
        Assert.That(last, Is.LessThanOrEqualTo(first * 1.1));
        Assert.That(rel.Max(), Is.LessThan(0.05));
    }

    [Test]
    public void LeapfrogRefusesADampedSystem()
    {
        var damped = new PendulumDynamics(1.0, 1.0, 9.81, Damping: 0.1);
        Assert.Throws<ArgumentException>(() => Integrators.Leapfrog(damped, new double[2], 0, 0.01));
    }
}
