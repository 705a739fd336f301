using WeJepa.Learning.Models.Jepa;

namespace WeJepa.Learning.Tests.Jepa;

public class CollapseDiagnosticsTests
{
    [Test]
    public void StdIsUnbiasedPerDimension()
    {
        var d = CollapseDiagnostics.Of([1, 10, 3, 10, 5, 10], 3, 2);
        Assert.That(d.StdPerDim[0], Is.EqualTo(2.0).Within(1e-12));   // values 1, 3, 5
        Assert.That(d.StdPerDim[1], Is.EqualTo(0.0));
        Assert.That(d.MeanStd, Is.EqualTo(1.0).Within(1e-12));
    }

    [Test]
    public void CosineIsOneForACollapsedBatchAndZeroForOrthogonalRows()
    {
        Assert.That(CollapseDiagnostics.Of([1, 2, 2, 4, 3, 6], 3, 2).MeanCosine, Is.EqualTo(1.0).Within(1e-12));
        Assert.That(CollapseDiagnostics.Of([1, 0, 0, 0, 1, 0, 0, 0, 1], 3, 3).MeanCosine, Is.EqualTo(0.0).Within(1e-12));
        Assert.That(CollapseDiagnostics.Of([1, 0, -1, 0], 2, 2).MeanCosine, Is.EqualTo(-1.0).Within(1e-12));
    }

    [Test]
    public void EffectiveRankCountsTheDirectionsTheFeaturesVaryAlong()
    {
        // ±e_i for i < 5 in width 5: centred already, all singular values equal → rank exactly 5
        var iso = new float[10 * 5];
        for (int i = 0; i < 5; i++) (iso[2 * i * 5 + i], iso[(2 * i + 1) * 5 + i]) = (1, -1);
        Assert.That(CollapseDiagnostics.Of(iso, 10, 5).EffectiveRank, Is.EqualTo(5.0).Within(1e-9));
        // along one direction only (plus an offset the centring removes) → 1
        var line = Enumerable.Range(0, 6).SelectMany(r => new float[] { 3 + r, 1 + 2 * r, 7 }).ToArray();
        Assert.That(CollapseDiagnostics.Of(line, 6, 3).EffectiveRank, Is.EqualTo(1.0).Within(1e-6));
        // complete collapse → 0, and the same rank whichever Gram matrix is smaller (rows < width here)
        Assert.That(CollapseDiagnostics.Of(Enumerable.Repeat(0.5f, 12).ToArray(), 3, 4).EffectiveRank, Is.EqualTo(0.0));
        var wide = new float[] { 1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0 };   // ±e_0, ±e_1 in width 6
        Assert.That(CollapseDiagnostics.Of(wide, 4, 6).EffectiveRank, Is.EqualTo(2.0).Within(1e-9));
    }

    [Test]
    public void JacobiFindsKnownEigenvalues()
    {
        var ev = CollapseDiagnostics.SymmetricEigenvalues([2, 1, 0, 1, 2, 0, 0, 0, 5], 3).OrderBy(v => v).ToArray();
        Assert.That(ev, Is.EqualTo(new[] { 1.0, 3.0, 5.0 }).Within(1e-12));
    }

    [Test]
    public void OneRowIsRejected()
        => Assert.That(Assert.Throws<ArgumentException>(() => CollapseDiagnostics.Of([1, 2], 1, 2))!.Message, Does.Contain("at least 2 rows"));
}
