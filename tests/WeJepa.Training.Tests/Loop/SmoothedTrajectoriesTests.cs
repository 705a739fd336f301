using WeJepa.Training.Loop;

namespace WeJepa.Training.Tests.Loop;

public class SmoothedTrajectoriesTests
{
    const double Dt = 0.01;

    [Test]
    public void AnExactSwingGivesItsVelocityAndAccelerationEverywhereEdgesIncluded()
    {
        // θ = A sin(ωt + φ): ω(t) and α(t) known in closed form; a quartic over 21 frames of a 2 s period is exact to ~1e-5.
        const int frames = 200;
        double a = 1.3, w = Math.PI, phase = 0.4;
        var theta = Enumerable.Range(0, frames).Select(k => a * Math.Sin(w * k * Dt + phase)).ToArray();
        var set = SmoothedTrajectories.Of(theta, 1, frames, Dt, window: 21, degree: 4);
        for (int k = 0; k < frames; k++)
        {
            double t = k * Dt;
            Assert.That(set.States[2 * k], Is.EqualTo(theta[k]).Within(1e-5), $"θ at {k}");
            Assert.That(set.States[2 * k + 1], Is.EqualTo(a * w * Math.Cos(w * t + phase)).Within(2e-3), $"ω at {k}");
            Assert.That(set.Derivatives[2 * k], Is.EqualTo(set.States[2 * k + 1]), "θ̇ is the ω state");
            Assert.That(set.Derivatives[2 * k + 1], Is.EqualTo(-a * w * w * Math.Sin(w * t + phase)).Within(0.05), $"α at {k}");
        }
    }

    [Test]
    public void NoiseIsAveragedDownAndAWrapIsNotAJump()
    {
        const int frames = 300;
        var random = new Random(3);
        // a pendulum swinging over the top: θ grows past π and the estimates wrap to −π
        var truth = Enumerable.Range(0, frames).Select(k => 2.5 + 2.0 * k * Dt).ToArray();
        var noisy = truth.Select(v => Math.IEEERemainder(v + 0.02 * (random.NextDouble() - 0.5) * Math.Sqrt(12), 2 * Math.PI)).ToArray();
        var set = SmoothedTrajectories.Of(noisy, 1, frames, Dt, window: 31, degree: 2);
        double rms = Math.Sqrt(Enumerable.Range(0, frames).Average(k => Math.Pow(set.States[2 * k] - truth[k], 2)));
        Assert.That(rms, Is.LessThan(0.01), "the filter halves the per-frame noise σ 0.02 (RMS)");
        Assert.That(Math.Sqrt(Enumerable.Range(0, frames).Average(k => Math.Pow(set.States[2 * k + 1] - 2.0, 2))), Is.LessThan(0.1), "ω stays near 2 rad/s across the wrap (RMS)");
    }

    [Test]
    public void AWindowLongerThanTheEpisodeIsRefused() =>
        Assert.Throws<ArgumentException>(() => SmoothedTrajectories.Of(new double[10], 1, 10, Dt, window: 11, degree: 2));
}
