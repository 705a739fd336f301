using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Simulation.Tests.Reference;

/// <summary>The simple pendulum against closed forms: period, energy conservation, damping, driving.</summary>
public class PendulumPhysicsTests
{
    /// <summary>Integrates one environment; returns states ((T+1)·S) and total energies (T+1).</summary>
    internal static (double[] States, double[] Energy) Roll(IDynamics system, Integrator integrator, double[] initial, double dt, int steps)
    {
        var states = new double[(steps + 1) * system.StateSize];
        var kinetic = new double[steps + 1];
        var potential = new double[steps + 1];
        ReferenceSimulator.Rollout(system, integrator, initial, dt, steps, states, kinetic, potential);
        return (states, kinetic.Zip(potential, (k, p) => k + p).ToArray());
    }

    [Test]
    public void SmallAnglePeriodMatchesTwoPiSqrtLOverG()
    {
        const double length = 1.3, g = 9.81, dt = 1e-3;
        var system = new PendulumDynamics(length, 0.7, g);
        var (states, _) = Roll(system, Integrator.Rk4, [1e-3, 0.0], dt, 20_000);
        // Times where θ falls through zero, linearly interpolated between steps.
        var crossings = new List<double>();
        for (var k = 0; k < 20_000; k++)
        {
            double a = states[2 * k], b = states[2 * (k + 1)];
            if (a > 0 && b <= 0) crossings.Add((k + a / (a - b)) * dt);
        }
        var period = (crossings[^1] - crossings[0]) / (crossings.Count - 1);
        var expected = 2 * Math.PI * Math.Sqrt(length / g);
        TestContext.Out.WriteLine($"period {period:F8} s over {crossings.Count - 1} cycles, 2π√(L/g) = {expected:F8} s");
        Assert.That(crossings, Has.Count.GreaterThan(5));
        Assert.That(Math.Abs(period / expected - 1), Is.LessThanOrEqualTo(1e-4));
    }

    [Test]
    public void LeapfrogEnergyErrorIsBoundedWithoutSecularTrend()
    {
        const int steps = 200_000;
        var system = new PendulumDynamics(1.0, 1.0, 9.81);
        var (_, leap) = Roll(system, Integrator.Leapfrog, [2.0, 0.0], 0.005, steps);
        var (_, rk4) = Roll(system, Integrator.Rk4, [2.0, 0.0], 0.005, steps);
        double Rel(double e) => Math.Abs(e / leap[0] - 1);
        double MaxRel(double[] e, int from, int to) => e[from..to].Max(Rel);
        var tenth = steps / 10;
        var (first, last, all) = (MaxRel(leap, 0, tenth), MaxRel(leap, steps - tenth, steps + 1), MaxRel(leap, 0, steps + 1));
        var rk4Drift = (rk4[^1] - rk4[0]) / rk4[0];
        TestContext.Out.WriteLine($"leapfrog |ΔE/E| max {all:E3} (first tenth {first:E3}, last tenth {last:E3}); RK4 drift after 1000 s {rk4Drift:E3}");
        Assert.That(all, Is.LessThanOrEqualTo(1e-4));
        Assert.That(first, Is.GreaterThan(1e-6), "the O(dt²) oscillation must be visible, else the test measures nothing");
        Assert.That(last, Is.LessThanOrEqualTo(first * 1.05), "leapfrog's energy error must not grow over time");
        Assert.That(rk4Drift, Is.LessThan(0), "RK4 is slightly dissipative on the pendulum");
    }

    [Test]
    public void DampedEnergyDecreasesMonotonically()
    {
        var system = new PendulumDynamics(1.0, 1.0, 9.81, Damping: 0.3);
        var (_, energy) = Roll(system, Integrator.Rk4, [2.5, 0.0], 0.01, 3000);
        for (var k = 0; k < energy.Length - 1; k++)
            Assert.That(energy[k + 1], Is.LessThanOrEqualTo(energy[k]), $"energy rose at step {k}");
        Assert.That(energy[^1], Is.LessThan(1e-3 * energy[0]));
    }

    [Test]
    public void DampedSmallAngleEnergyFollowsTheLinearisedSolution()
    {
        // θ̈ + c·θ̇ + ω0²·θ = 0, θ(0) = θ0, θ̇(0) = 0 → θ = e^(−ct/2)·θ0·(cos ωd·t + (c/2ωd)·sin ωd·t), ωd = √(ω0² − c²/4).
        const double length = 1.0, mass = 2.0, g = 9.81, c = 0.4, theta0 = 0.01, dt = 0.005;
        var (states, energy) = Roll(new PendulumDynamics(length, mass, g, c), Integrator.Rk4, [theta0, 0.0], dt, 4000);
        double w0 = Math.Sqrt(g / length), wd = Math.Sqrt(w0 * w0 - c * c / 4);
        var worst = 0.0;
        for (var k = 0; k <= 4000; k++)
        {
            var t = k * dt;
            var decay = Math.Exp(-c * t / 2);
            var theta = decay * theta0 * (Math.Cos(wd * t) + c / (2 * wd) * Math.Sin(wd * t));
            var omega = -decay * theta0 * (w0 * w0 / wd) * Math.Sin(wd * t);
            var linear = 0.5 * mass * length * length * omega * omega + 0.5 * mass * g * length * theta * theta;
            worst = Math.Max(worst, Math.Abs(energy[k] / linear - 1));
            Assert.That(states[2 * k], Is.EqualTo(theta).Within(3e-5 * theta0));
        }
        TestContext.Out.WriteLine($"worst relative deviation from the linearised energy over 20 s: {worst:E3}; E(20 s)/E0 = {energy[^1] / energy[0]:E3}, e^(−c·20) = {Math.Exp(-c * 20):E3}");
        Assert.That(worst, Is.LessThanOrEqualTo(1e-4));
    }

    [Test]
    public void DrivenPendulumMatchesAnIndependentFineStepIntegration()
    {
        var system = new PendulumDynamics(0.8, 1.0, 9.81, Damping: 0.5, DriveAmplitude: 3.0, DriveFrequency: 0.6);
        var (states, _) = Roll(system, Integrator.Rk4, [0.3, -0.2], 0.01, 1000);
        // Independent check: explicit midpoint with 100× smaller steps, written out here from the equation.
        double theta = 0.3, omega = -0.2, h = 1e-4;
        double Acc(double th, double om, double t) => -(9.81 / 0.8) * Math.Sin(th) - 0.5 * om + 3.0 * Math.Cos(2 * Math.PI * 0.6 * t);
        for (var k = 0; k < 100_000; k++)
        {
            var t = k * h;
            double thMid = theta + 0.5 * h * omega, omMid = omega + 0.5 * h * Acc(theta, omega, t);
            theta += h * omMid;
            omega += h * Acc(thMid, omMid, t + 0.5 * h);
            if ((k + 1) % 100 == 0)
            {
                var step = (k + 1) / 100;
                Assert.That(states[2 * step], Is.EqualTo(theta).Within(1e-6), $"θ at t = {step * 0.01:F2} s");
                Assert.That(states[2 * step + 1], Is.EqualTo(omega).Within(1e-6), $"ω at t = {step * 0.01:F2} s");
            }
        }
    }

    [Test]
    public void WeaklyDrivenPendulumReachesTheLinearSteadyStateAmplitude()
    {
        // Linear response: amplitude = A / √((ω0² − Ω²)² + (c·Ω)²), with Ω = 2π·f.
        const double a = 0.01, f = 0.3, c = 0.8, g = 9.81, length = 1.0, dt = 0.005;
        var system = new PendulumDynamics(length, 1.0, g, c, a, f);
        var (states, _) = Roll(system, Integrator.Rk4, [0.0, 0.0], dt, 12_000);
        var lastPeriod = (int)Math.Ceiling(1 / f / dt);
        var measured = Enumerable.Range(12_000 - lastPeriod, lastPeriod + 1).Max(k => Math.Abs(states[2 * k]));
        double w = 2 * Math.PI * f, w0sq = g / length;
        var expected = a / Math.Sqrt((w0sq - w * w) * (w0sq - w * w) + c * c * w * w);
        TestContext.Out.WriteLine($"steady-state amplitude {measured:E5}, linear theory {expected:E5}");
        Assert.That(measured, Is.EqualTo(expected).Within(1e-3).Percent.Or.EqualTo(expected).Within(0.002 * expected));
    }
}
