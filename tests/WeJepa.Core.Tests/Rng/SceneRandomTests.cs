using WeJepa.Core.Rng;

namespace WeJepa.Core.Tests.Rng;

public class SceneRandomTests
{
    [Test]
    public void SplitMix64MatchesTheReferenceSequence()
    {
        // Vigna's splitmix64.c seeded with x = 1234567.
        var rng = new SplitMix64(1234567);
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        Assert.That(Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()), Is.EqualTo(expected));
    }

    [Test]
    public void UniformsAreInRangeWithTheRightMean()
    {
        var rng = new SplitMix64(9);
        var u = Enumerable.Range(0, 100_000).Select(_ => rng.NextDouble()).ToArray();
        Assert.That(u, Is.All.InRange(0.0, 0.9999999999999999));
        Assert.That(u.Average(), Is.EqualTo(0.5).Within(0.005));
        var g = Enumerable.Range(0, 100_000).Select(_ => rng.NextGaussian()).ToArray();
        Assert.That(g.Average(), Is.EqualTo(0).Within(0.02));
        Assert.That(g.Select(x => x * x).Average(), Is.EqualTo(1).Within(0.02));
    }

    [Test]
    public void StreamsDifferPerSeedEnvAndPurpose()
    {
        var first = new HashSet<ulong>();
        foreach (var seed in new ulong[] { 0, 1, 42 })
        foreach (var env in new[] { 0, 1, 2, 255, 256 })
        foreach (var purpose in Enum.GetValues<RngStream>())
            Assert.That(first.Add(SceneRandom.ForEnv(seed, env, purpose).NextUInt64()), Is.True, $"{seed}/{env}/{purpose}");
    }

    [Test]
    public void StreamIsAPureFunctionOfItsKey()
    {
        var a = SceneRandom.ForEnv(42, 3, RngStream.InitialState);
        var b = SceneRandom.ForEnv(42, 3, RngStream.InitialState);
        Assert.That(a.NextUInt64(), Is.EqualTo(b.NextUInt64()));
    }
}
