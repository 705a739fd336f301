using WeJepa.Training.Probes;

namespace WeJepa.Training.Tests.Probes;

/// <summary>
/// The probe heads on synthetic features whose information is known: features that hold the state (mixed linearly,
/// with noise and distractor columns) must give R² near 1, the same features with the targets shuffled R² near 0, and
/// scene-dependent features a high accuracy where random ones stay near chance.
/// </summary>
public class ProbeHeadTests
{
    const int Episodes = 40, Steps = 15;
    static readonly ProbeTargets Targets = new(2);

    /// <summary>(θ, ω) along episodes; features: a random linear mix of (sin θ, cos θ, ω) plus noise, in <paramref name="features"/> columns.</summary>
    static ProbeSet Synthetic(int features, ulong seed, double noise = 0.05, bool informative = true)
    {
        var random = new Random((int)seed);
        int n = Episodes * Steps;
        var states = new float[n * 2];
        var episodes = new int[n];
        var labels = new int[n];
        for (int e = 0; e < Episodes; e++)
        {
            double theta = random.NextDouble() * 4 - 2, omega = random.NextDouble() * 2 - 1;
            for (int t = 0; t < Steps; t++)
            {
                int r = e * Steps + t;
                theta += 0.1 * omega;
                omega -= 0.1 * 9.81 * Math.Sin(theta);
                (states[2 * r], states[2 * r + 1], episodes[r], labels[r]) = ((float)theta, (float)omega, e, e % 2);
            }
        }
        var y = Targets.Of(states);
        var mix = Enumerable.Range(0, 3 * features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var x = new float[n * features];
        for (int r = 0; r < n; r++)
            for (int j = 0; j < features; j++)
            {
                double v = noise * (random.NextDouble() * 2 - 1) * Math.Sqrt(3);
                if (informative) for (int k = 0; k < 3; k++) v += mix[k * features + j] * y[r * 3 + k];
                else v += random.NextDouble();
                x[r * features + j] = (float)v;
            }
        return new ProbeSet(x, features, y, 3, labels, episodes).Validated();
    }

    static (ProbeSet Train, ProbeSet Validation) Split(ProbeSet all) => all.SplitByEpisode(0.3, seed: 7);

    [TestCase(16)]     // more samples than features: the primal system
    [TestCase(1200)]   // more features than samples (raw pixels): the dual
    public void RidgeRecoversAnInformativeFeatureAndNotShuffledTargets(int features)
    {
        var (train, validation) = Split(Synthetic(features, 1));
        var fit = RidgeProbe.Fit(train, validation, seed: 3);
        Assert.That(fit.RSquared, Has.All.GreaterThan(0.95), string.Join(", ", fit.RSquared));
        var shuffled = RidgeProbe.Fit(train.WithShuffledTargets(5), validation, seed: 3);
        Assert.That(shuffled.RSquared, Has.All.LessThan(0.2).And.All.GreaterThan(-0.3), string.Join(", ", shuffled.RSquared));
    }

    [Test]
    public void PrimalAndDualGiveTheSamePredictions()
    {
        // 16 features: with 400 fit samples primal, with the first 10 samples dual; the same ridge problem both ways.
        var all = Synthetic(16, 2);
        var small = all.Rows(Enumerable.Range(0, 10).ToArray());
        var (big, _) = Split(all);
        double[] Direct(ProbeSet fit, double strength) => RidgeProbe.Predictions(fit, all, [strength])[0];
        Assert.That(Direct(small, 1e-2), Is.EqualTo(ReferenceRidge(small, all, 1e-2)).Within(1e-6));
        Assert.That(Direct(big, 1e-2), Is.EqualTo(ReferenceRidge(big, all, 1e-2)).Within(1e-6));
    }

    /// <summary>Ridge written out plainly: standardise, augment, normal equations with λ·(mean diagonal of the smaller Gram), Gaussian elimination.</summary>
    static double[] ReferenceRidge(ProbeSet fit, ProbeSet eval, double strength)
    {
        var s = new Standardized(fit);
        var (x, xe) = (s.Apply(fit), s.Apply(eval));
        int n = fit.Count, f = fit.FeatureSize, t = fit.TargetSize;
        var mean = Standardized.ColumnMeans(fit.Targets, t);
        double trace = 0;
        for (int i = 0; i < x.Length; i++) trace += x[i] * x[i];
        double lambda = strength * trace / Math.Min(n, f);
        var a = new double[f, f + t];
        for (int i = 0; i < f; i++)
        {
            for (int j = 0; j < f; j++)
                for (int r = 0; r < n; r++) a[i, j] += x[r * f + i] * x[r * f + j];
            a[i, i] += lambda;
            for (int c = 0; c < t; c++)
                for (int r = 0; r < n; r++) a[i, f + c] += x[r * f + i] * (fit.Targets[r * t + c] - mean[c]);
        }
        for (int p = 0; p < f; p++)
            for (int i = 0; i < f; i++)
            {
                if (i == p) continue;
                double m = a[i, p] / a[p, p];
                for (int j = p; j < f + t; j++) a[i, j] -= m * a[p, j];
            }
        var prediction = new double[eval.Count * t];
        for (int r = 0; r < eval.Count; r++)
            for (int c = 0; c < t; c++)
            {
                double v = mean[c];
                for (int i = 0; i < f; i++) v += xe[r * f + i] * a[i, f + c] / a[i, i];
                prediction[r * t + c] = v;
            }
        return prediction;
    }

    [Test]
    public void SgdHeadLearnsAnInformativeFeatureEpochByEpoch()
    {
        var (train, validation) = Split(Synthetic(16, 3));
        var epochs = SgdProbe.Regression(train, validation, new SgdSettings(Epochs: 15));
        Assert.That(epochs, Has.Count.EqualTo(15));
        Assert.That(epochs[^1].ValidationRSquared, Has.All.GreaterThan(0.9), string.Join(", ", epochs[^1].ValidationRSquared));
        Assert.That(epochs[^1].TrainLoss, Is.LessThan(epochs[0].TrainLoss));
        var shuffled = SgdProbe.Regression(train.WithShuffledTargets(9), validation, new SgdSettings(Epochs: 15));
        Assert.That(shuffled[^1].ValidationRSquared, Has.All.LessThan(0.2), string.Join(", ", shuffled[^1].ValidationRSquared));
    }

    [Test]
    public void ClassificationHeadSeparatesScenesAndRandomFeaturesStayAtChance()
    {
        var all = Synthetic(8, 4, informative: false);
        for (int r = 0; r < all.Count; r++) all.Features[r * 8] += all.Labels[r] * 2f;   // the scene shifts one feature
        var (train, validation) = Split(all);
        var epochs = SgdProbe.Classification(train, validation, 2, new SgdSettings(Epochs: 10));
        Assert.That(epochs[^1].ValidationAccuracy, Is.GreaterThan(0.95));
        var (noisyTrain, noisyValidation) = Split(Synthetic(8, 5, informative: false));
        var chance = SgdProbe.Classification(noisyTrain, noisyValidation, 2, new SgdSettings(Epochs: 10));
        Assert.That(chance[^1].ValidationAccuracy, Is.InRange(0.3, 0.7));
    }

    [Test]
    public void TargetsAreSinCosOfEachAngleThenEachVelocity()
    {
        var doubles = new ProbeTargets(4);
        Assert.That(doubles.Names, Is.EqualTo(new[] { "sin θ1", "cos θ1", "sin θ2", "cos θ2", "ω1", "ω2" }));
        var y = doubles.Of([0.5f, -1f, 2f, 3f]);
        Assert.That(y, Is.EqualTo(new[] { Math.Sin(0.5f), Math.Cos(0.5f), Math.Sin(-1f), Math.Cos(-1f), 2, 3 }).Within(1e-7));
        Assert.That(doubles.VelocityColumns, Is.EqualTo(new[] { 4, 5 }));
    }
}
