using WeJepa.Core.Rng;
using WeJepa.Learning.Models.Masks;

namespace WeJepa.Learning.Tests.Masks;

public class MultiBlockMaskingTests
{
    static readonly Interval EncScale = new(0.85, 1.0), PredScale = new(0.15, 0.2), Aspect = new(0.75, 1.5);

    static MultiBlockMasking Image(int h, int w, int minKeep = 4)
        => new(TokenGrid.Image(h, w), 4, PredScale, Aspect, EncScale, minKeep);

    [Test]
    public void MasksHaveTheRequestedLayoutAndNeverOverlap()
    {
        var masking = Image(8, 8);
        var rng = new SplitMix64(3);
        for (int i = 0; i < 50; i++)
        {
            var m = masking.Sample(16, ref rng);
            Assert.That(m.Context, Has.Length.EqualTo(16 * m.ContextCount));
            Assert.That(m.Targets, Has.Length.EqualTo(16 * 4 * m.TargetCount));
            Assert.That(m.ContextCount, Is.GreaterThanOrEqualTo(4));
            Assert.That(m.TargetCount, Is.EqualTo(m.TargetShape.Count));
            for (int b = 0; b < 16; b++)
            {
                var context = m.Context.Skip(b * m.ContextCount).Take(m.ContextCount).ToArray();
                Assert.That(context, Is.Ordered.Ascending.And.Unique.And.All.InRange(0, 63));
                for (int k = 0; k < 4; k++)
                {
                    var block = m.Targets.Skip((b * 4 + k) * m.TargetCount).Take(m.TargetCount).ToArray();
                    Assert.That(block, Is.Ordered.Ascending.And.Unique.And.All.InRange(0, 63));
                    Assert.That(IsBox(block, TokenGrid.Image(8, 8), m.TargetShape), Is.True, $"sample {b} block {k} is not a {m.TargetShape.Height}×{m.TargetShape.Width} rectangle");
                    Assert.That(block.Intersect(context), Is.Empty, $"sample {b}: block {k} overlaps the context");
                }
            }
        }
    }

    [Test]
    public void SameSeedSameMasks()
    {
        var masking = Image(8, 8);
        var (r1, r2) = (new SplitMix64(42), new SplitMix64(42));
        var (a, b) = (masking.Sample(8, ref r1), masking.Sample(8, ref r2));
        Assert.That(b.Context, Is.EqualTo(a.Context));
        Assert.That(b.Targets, Is.EqualTo(a.Targets));
    }

    // ijepa draws corners with torch.randint(0, H − h): exclusive, so the last row and column are never a target
    [Test]
    public void EveryPatchIsReachableByTargetsAndByContext()
    {
        const int H = 7, W = 6;
        var mine = Image(H, W);
        var rng = new SplitMix64(9);
        var (targets, contexts) = (new int[H * W], new int[H * W]);
        for (int i = 0; i < 300; i++)
        {
            var m = mine.Sample(4, ref rng);
            Count(m.Targets, targets);
            Count(m.Context, contexts);
        }
        Assert.That(Unreached(targets), Is.Empty, "patches never in a target block");
        Assert.That(Unreached(contexts), Is.Empty, "patches never in the context");

        var port = new IjepaCollatorPort(H, W, EncScale, PredScale, Aspect, 4, 2);   // min_keep 2: ijepa loops forever on a 2×2 block at 4
        Array.Clear(targets);
        for (int i = 0; i < 300; i++) Count(port.Sample(4, ref rng).Targets, targets);
        var missed = Unreached(targets);
        Assert.That(missed, Is.SupersetOf(Enumerable.Range(0, W).Select(x => (H - 1) * W + x)), "the check must catch ijepa's unreachable last row");
        Assert.That(missed, Is.SupersetOf(Enumerable.Range(0, H).Select(y => y * W + W - 1)), "the check must catch ijepa's unreachable last column");
    }

    // ijepa uses one uniform for both scale and aspect ratio: they are perfectly correlated
    [Test]
    public void ScaleAndAspectRatioAreDrawnIndependentlyFromTheirRequestedRanges()
    {
        var mine = Image(14, 14);
        var rng = new SplitMix64(17);
        var shapes = Enumerable.Range(0, 4000).Select(_ => mine.DrawShape(ref rng, PredScale, Aspect, Interval.Exactly(1))).ToArray();
        var (s, a) = (shapes.Select(x => x.Scale).ToArray(), shapes.Select(x => x.AspectRatio).ToArray());
        Assert.That(Math.Abs(Correlation(s, a)), Is.LessThan(0.06));
        Assert.That(KolmogorovToUniform(s, PredScale), Is.LessThan(0.03), "scale ~ U(pred_mask_scale)");
        Assert.That(KolmogorovToUniform(a, Aspect), Is.LessThan(0.03), "aspect ratio ~ U(aspect_ratio)");
        Assert.That(shapes.Select(x => x.Height * 1.0 / x.Width).Distinct().Count(), Is.GreaterThan(3), "several block shapes");

        var port = new IjepaCollatorPort(14, 14, EncScale, PredScale, Aspect, 4, 4);
        var portDraws = Enumerable.Range(0, 4000).Select(_ => port.DrawScaleAndAspect(ref rng, PredScale, Aspect)).ToArray();
        Assert.That(Correlation(portDraws.Select(d => d.Scale).ToArray(), portDraws.Select(d => d.Aspect).ToArray()), Is.GreaterThan(0.99),
            "the check must catch ijepa's shared uniform");
    }

    // ijepa truncates every sorted index list to the batch minimum: bottom-right patches drop out of large batches.
    // The mask distribution is symmetric under a half turn of the grid, so each patch must be context as often as its mirror.
    [Test]
    public void NoSystematicHoleInTheContextOfALargeBatch()
    {
        const int G = 8, B = 64;
        var rng = new SplitMix64(23);
        var mine = new int[G * G];
        for (int i = 0; i < 60; i++) Count(Image(G, G).Sample(B, ref rng).Context, mine);
        Assert.That(Unreached(mine), Is.Empty);
        Assert.That(HalfTurnAsymmetry(mine, G), Is.LessThan(0.15));

        var port = new IjepaCollatorPort(G, G, EncScale, PredScale, Aspect, 4, 4);
        var ported = new int[G * G];
        for (int i = 0; i < 60; i++) Count(port.Sample(B, ref rng).Context, ported);
        Assert.That(HalfTurnAsymmetry(ported, G), Is.GreaterThan(0.5), "the check must catch ijepa's truncation");
        Assert.That(ported[G * G - 1], Is.LessThan(ported[0] / 4), "ijepa drops the bottom-right patch");
    }

    [Test]
    public void TubeletBlocksAreSpaceTimeBoxesThatReachEveryToken()
    {
        var grid = new TokenGrid(4, 4, 4);
        var masking = new MultiBlockMasking(grid, 2, new Interval(0.15, 0.25), Aspect, new Interval(0.85, 1.0), 4,
            targetDuration: new Interval(0.5, 1.0), contextDuration: new Interval(0.75, 1.0));
        var rng = new SplitMix64(31);
        var (targets, contexts) = (new int[grid.Count], new int[grid.Count]);
        for (int i = 0; i < 300; i++)
        {
            var m = masking.Sample(4, ref rng);
            Assert.That(m.TargetShape.Frames, Is.InRange(2, 4));
            for (int k = 0; k < 4 * 2; k++)
                Assert.That(IsBox(m.Targets.Skip(k * m.TargetCount).Take(m.TargetCount).ToArray(), grid, m.TargetShape), Is.True);
            var (c, t) = (m.ContextMask(), m.TargetMask());
            for (int e = 0; e < c.Length; e++) Assert.That(c[e] && t[e], Is.False);
            Count(m.Targets, targets);
            Count(m.Context, contexts);
        }
        Assert.That(Unreached(targets), Is.Empty);
        Assert.That(Unreached(contexts), Is.Empty);
    }

    [Test]
    public void BadParametersAreClearErrorsNamingTheValue()
    {
        var grid = TokenGrid.Image(4, 4);
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiBlockMasking(grid, targetScale: new Interval(0, 0.2)))!.Message,
            Does.Contain("pred_mask_scale (0, 0.2)"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiBlockMasking(grid, contextScale: new Interval(0.9, 1.2)))!.Message,
            Does.Contain("enc_mask_scale (0.9, 1.2)"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiBlockMasking(grid, targetScale: new Interval(0.3, 0.2)))!.Message,
            Does.Contain("(0.3, 0.2)"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiBlockMasking(grid, targetAspectRatio: new Interval(-1, 2)))!.Message,
            Does.Contain("aspect_ratio (-1, 2)"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiBlockMasking(grid, targetBlocks: 0))!.Message, Does.Contain("npred"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => _ = new MultiBlockMasking(grid, minKeep: 15))!.Message,
            Does.Contain("min_keep 15 is impossible").And.Contain("at most 12"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new TokenGrid(1, 0, 4));
    }

    // reachable in principle (all six 2×2 targets on one spot), but practically never: a bounded number of draws, then an error
    [Test]
    public void AnUnattainableMinKeepStopsAfterBoundedDraws()
    {
        var masking = new MultiBlockMasking(TokenGrid.Image(4, 4), 6, Interval.Exactly(0.25), Interval.Exactly(1), Interval.Exactly(1), minKeep: 12);
        var rng = new SplitMix64(1);
        Assert.That(Assert.Throws<InvalidOperationException>(() => masking.Sample(2, ref rng))!.Message,
            Does.Contain("min_keep 12").And.Contain($"{MultiBlockMasking.MaxDraws} draws"));
    }

    // ------------------------------------------------------------------ helpers

    static void Count(int[] index, int[] hits)
    {
        foreach (int n in index) hits[n]++;
    }

    static int[] Unreached(int[] hits) => Enumerable.Range(0, hits.Length).Where(i => hits[i] == 0).ToArray();

    static double HalfTurnAsymmetry(int[] hits, int g)
        => Enumerable.Range(0, g * g).Max(i => Math.Abs(hits[i] - hits[g * g - 1 - i])) / hits.Average();

    static bool IsBox(int[] block, TokenGrid grid, BlockShape shape)
    {
        int t0 = block[0] / (grid.Height * grid.Width), y0 = block[0] / grid.Width % grid.Height, x0 = block[0] % grid.Width;
        var expected = new List<int>();
        for (int t = t0; t < t0 + shape.Frames; t++)
            for (int y = y0; y < y0 + shape.Height; y++)
                for (int x = x0; x < x0 + shape.Width; x++)
                    expected.Add(t < grid.Frames && y < grid.Height && x < grid.Width ? grid.Index(t, y, x) : -1);
        return block.SequenceEqual(expected);
    }

    static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(a.Sum(x => (x - ma) * (x - ma)) * b.Sum(x => (x - mb) * (x - mb)));
    }

    static double KolmogorovToUniform(double[] draws, Interval range)
    {
        var sorted = draws.OrderBy(x => x).ToArray();
        return sorted.Select((x, i) => Math.Abs((x - range.Min) / (range.Max - range.Min) - (i + 0.5) / sorted.Length)).Max();
    }

    /// <summary>
    /// A port of facebookresearch/ijepa's <c>MaskCollator</c> (src/masks/multiblock.py, allow_overlap=False, nenc=1) on our
    /// random stream, kept here only to prove the property tests above catch its flaws.
    /// </summary>
    sealed class IjepaCollatorPort(int height, int width, Interval encScale, Interval predScale, Interval aspect, int npred, int minKeep)
    {
        public (double Scale, double Aspect) DrawScaleAndAspect(ref SplitMix64 rng, Interval scale, Interval ratio)
        {
            double r = rng.NextDouble();   // one uniform for both
            return (scale.Min + r * (scale.Max - scale.Min), ratio.Min + r * (ratio.Max - ratio.Min));
        }

        (int H, int W) SampleBlockSize(ref SplitMix64 rng, Interval scale, Interval ratio)
        {
            var (s, a) = DrawScaleAndAspect(ref rng, scale, ratio);
            int maxKeep = (int)(height * width * s);
            int h = (int)Math.Round(Math.Sqrt(maxKeep * a)), w = (int)Math.Round(Math.Sqrt(maxKeep / a));
            while (h >= height) h--;
            while (w >= width) w--;
            return (h, w);
        }

        (List<int> Mask, bool[] Complement) SampleBlockMask(ref SplitMix64 rng, (int H, int W) size, List<bool[]>? acceptable)
        {
            int tries = 0, timeout = 20, top, left;
            List<int> mask;
            for (int guard = 0; ; guard++)
            {
                if (guard == 100_000) throw new InvalidOperationException("ijepa port: endless retry (its loop has no bound)");
                top = (int)(rng.NextUInt64() % (ulong)(height - size.H));     // torch.randint(0, height − h): exclusive
                left = (int)(rng.NextUInt64() % (ulong)(width - size.W));
                var grid = new bool[height * width];
                for (int y = top; y < top + size.H; y++)
                    for (int x = left; x < left + size.W; x++) grid[y * width + x] = true;
                if (acceptable is not null)
                    for (int k = 0; k < Math.Max(acceptable.Count - tries, 0); k++)
                        for (int i = 0; i < grid.Length; i++) grid[i] &= acceptable[k][i];
                mask = Enumerable.Range(0, grid.Length).Where(i => grid[i]).ToList();
                if (mask.Count > minKeep) break;
                if (--timeout == 0) { tries++; timeout = 20; }
            }
            var complement = Enumerable.Repeat(true, height * width).ToArray();
            for (int y = top; y < top + size.H; y++)
                for (int x = left; x < left + size.W; x++) complement[y * width + x] = false;
            return (mask, complement);
        }

        public (int[] Context, int[] Targets) Sample(int batch, ref SplitMix64 rng)
        {
            var pSize = SampleBlockSize(ref rng, predScale, aspect);
            var eSize = SampleBlockSize(ref rng, encScale, Interval.Exactly(1));
            var preds = new List<List<int>>();
            var encs = new List<List<int>>();
            for (int b = 0; b < batch; b++)
            {
                var complements = new List<bool[]>();
                for (int k = 0; k < npred; k++)
                {
                    var (mask, complement) = SampleBlockMask(ref rng, pSize, null);
                    preds.Add(mask);
                    complements.Add(complement);
                }
                encs.Add(SampleBlockMask(ref rng, eSize, complements).Mask);
            }
            int keepPred = preds.Min(m => m.Count), keepEnc = encs.Min(m => m.Count);   // cm[:min_keep]
            return (encs.SelectMany(m => m.Take(keepEnc)).ToArray(), preds.SelectMany(m => m.Take(keepPred)).ToArray());
        }
    }
}
