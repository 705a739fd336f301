using WeJepa.Training.Loop;
using WeJepa.Training.Rollouts;

namespace WeJepa.Training.Tests.Loop;

public class InitialStateFitTests
{
    const double Dt = 0.01, G = 9.81;

    [Test]
    public void NoisyAnglesThroughTheTrueDynamicsGiveTheInitialStateFarBetterThanOneFrame()
    {
        using var model = new ExactPendulum(G);
        float[] truth = [1.2f, -0.4f, -0.5f, 1.5f, 0.3f, 0.0f];
        const int frames = 50;
        var rolled = BatchRollout.Run(model, truth, Dt, frames - 1);
        var random = new Random(11);
        const double sigma = 0.03;
        var theta = new double[3 * frames];
        for (int i = 0; i < theta.Length; i++) theta[i] = rolled[2 * i] + sigma * Math.Sqrt(12) * (random.NextDouble() - 0.5);
        // a rough guess (one frame's angle, zero velocity), as the loop's smoothing would give at worst
        var guess = new float[6];
        for (int e = 0; e < 3; e++) guess[2 * e] = (float)theta[e * frames];
        var fitted = InitialStateFit.Fit(model, theta, frames, guess, Dt);
        for (int e = 0; e < 3; e++)
        {
            Assert.That(fitted[2 * e], Is.EqualTo(truth[2 * e]).Within(sigma / 2), $"θ₀ of episode {e}: within half of one frame's σ {sigma}");
            Assert.That(fitted[2 * e + 1], Is.EqualTo(truth[2 * e + 1]).Within(0.05), $"ω₀ of episode {e}");
        }
    }

    [Test]
    public void ExactAnglesAreFittedExactly()
    {
        using var model = new ExactPendulum(G);
        float[] truth = [0.8f, 0.9f];
        var rolled = BatchRollout.Run(model, truth, Dt, 29);
        var theta = Enumerable.Range(0, 30).Select(k => (double)rolled[2 * k]).ToArray();
        var fitted = InitialStateFit.Fit(model, theta, 30, [0.5f, 0f], Dt);
        Assert.That(fitted[0], Is.EqualTo(0.8f).Within(1e-4));
        Assert.That(fitted[1], Is.EqualTo(0.9f).Within(1e-3));
    }
}
