using WeJepa.Core.Rng;
using WeJepa.Learning.Models.Masks;

namespace WeJepa.Learning.Tests.Masks;

public class MaskingStrategyTests
{
    [TestCase(64, 0.75)]
    [TestCase(16, 0.5)]
    [TestCase(49, 0.3)]
    public void RandomMaskingKeepsExactlyTheFloorOfNTimesOneMinusR(int n, double r)
    {
        var strategy = new MaskingStrategy(n, r);
        var rng = new SplitMix64(1);
        var masked = strategy.RandomMasking(8, ref rng);
        for (int b = 0; b < 8; b++)
            Assert.That(masked.Skip(b * n).Take(n).Count(m => !m), Is.EqualTo((int)(n * (1.0 - r))), $"sample {b}");
    }

    [Test]
    public void RandomMaskingIsDeterministicForASeedAndReachesEveryToken()
    {
        var strategy = new MaskingStrategy(64, 0.75);
        var (r1, r2, r3) = (new SplitMix64(7), new SplitMix64(7), new SplitMix64(8));
        var a = strategy.RandomMasking(4, ref r1);
        Assert.That(strategy.RandomMasking(4, ref r2), Is.EqualTo(a));
        Assert.That(strategy.RandomMasking(4, ref r3), Is.Not.EqualTo(a));
        var visible = new int[64];
        var rng = new SplitMix64(3);
        for (int i = 0; i < 50; i++)
        {
            var m = strategy.RandomMasking(8, ref rng);
            for (int k = 0; k < m.Length; k++) if (!m[k]) visible[k % 64]++;
        }
        Assert.That(visible, Has.All.GreaterThan(0));
    }

    [Test]
    public void BlockMaskingPaintsSquareBlocksThatReachEveryToken()
    {
        var strategy = new MaskingStrategy(64, 0.75, 4);   // ⌊64·0.75/16⌋ = 3 blocks of 4×4 on an 8×8 grid
        Assert.That(strategy.BlocksPerSample, Is.EqualTo(3));
        var rng = new SplitMix64(11);
        var hits = new int[64];
        for (int i = 0; i < 100; i++)
        {
            var m = strategy.BlockMasking(4, ref rng);
            for (int b = 0; b < 4; b++)
            {
                var sample = m.Skip(b * 64).Take(64).ToArray();
                int count = sample.Count(v => v);
                Assert.That(count, Is.InRange(16, 48));
                // every masked token lies in some fully masked 4×4 square
                for (int k = 0; k < 64; k++)
                    if (sample[k]) Assert.That(InsideFullBlock(sample, k / 8, k % 8), Is.True, $"token {k} is not inside a whole block");
                for (int k = 0; k < 64; k++) if (sample[k]) hits[k]++;
            }
        }
        Assert.That(hits, Has.All.GreaterThan(0), "the last row and column must be reachable (inclusive corner bound)");
    }

    static bool InsideFullBlock(bool[] m, int y, int x)
    {
        for (int top = Math.Max(0, y - 3); top <= Math.Min(4, y); top++)
            for (int left = Math.Max(0, x - 3); left <= Math.Min(4, x); left++)
            {
                bool full = true;
                for (int dy = 0; dy < 4 && full; dy++)
                    for (int dx = 0; dx < 4 && full; dx++) full = m[(top + dy) * 8 + left + dx];
                if (full) return true;
            }
        return false;
    }

    [Test]
    public void ContextAndTargetMasksAreDisjointAndTargetsComeFromTheRandomMask()
    {
        var strategy = new MaskingStrategy(64);
        var (r1, r2) = (new SplitMix64(5), new SplitMix64(5));
        var pair = strategy.ContextAndTarget(6, ref r1);
        var block = strategy.BlockMasking(6, ref r2);
        var random = strategy.RandomMasking(6, ref r2);
        Assert.That(pair.ContextMasked, Is.EqualTo(block));
        for (int i = 0; i < block.Length; i++)
        {
            Assert.That(pair.ContextMasked[i] && pair.Target[i], Is.False, $"token {i} in both masks");
            Assert.That(pair.Target[i], Is.EqualTo(random[i] && !block[i]));
        }
    }

    [Test]
    public void PaddedIndicesListTheVisibleTokensThenMinusOne()
    {
        var pair = new ContextTargetMasks(2, 4, [true, false, false, true, false, false, false, false], [false, true, false, false, true, true, false, false]);
        Assert.That(pair.ContextIndex(), Is.EqualTo(new[] { 1, 2, -1, -1, 0, 1, 2, 3 }));
        Assert.That(pair.TargetIndex(), Is.EqualTo(new[] { 1, -1, -1, -1, 0, 1, -1, -1 }));
        Assert.That(TokenMasks.ToBoolean(pair.TargetIndex(), 2, 4), Is.EqualTo(pair.Target));
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.25)]
    [TestCase(1.5)]
    [TestCase(double.NaN)]
    public void RatiosOutsideTheOpenUnitIntervalAreRejected(double r)
        => Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MaskingStrategy(64, r))!.Message,
            Does.Contain("mask_ratio").And.Contain(r.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Test]
    public void ImpossibleGeometriesAreClearErrors()
    {
        var rng = new SplitMix64(1);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingStrategy(16, 0.75, 5).BlockMasking(1, ref rng))!.Message,
            Does.Contain("block_size 5").And.Contain("4×4"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingStrategy(48, 0.75, 2).BlockMasking(1, ref rng))!.Message,
            Does.Contain("48 tokens is not a square"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingStrategy(64, 0.2, 4).BlockMasking(1, ref rng))!.Message,
            Does.Contain("less than one 4×4 block"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => new MaskingStrategy(16, 0.99).RandomMasking(1, ref rng))!.Message,
            Does.Contain("leaves no visible token"));
    }
}
