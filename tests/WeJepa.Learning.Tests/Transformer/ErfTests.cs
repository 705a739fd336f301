using System.Numerics;
using static WeJepa.Learning.Tests.Transformer.TransformerFixture;

namespace WeJepa.Learning.Tests.Transformer;

/// <summary>
/// The double erf (our reference) against PyTorch's, and the float erf (the function kernels compile, and its
/// SIMD twin) against the double one. "Float precision" is measured in ulps of the float result.
/// </summary>
public class ErfTests
{
    [Test]
    public void ReferenceMatchesPyTorchInDouble()
    {
        var x = Values("erf.x");
        var y = Values("erf.y");
        for (int i = 0; i < x.Length; i++)
            Assert.That(ErfReference.Erf(x[i]), Is.EqualTo(y[i]).Within(4e-16 + 1e-14 * Math.Abs(y[i])), $"erf({x[i]})");
    }

    [Test]
    public void ReferenceHasTheKnownValuesAndSymmetry()
    {
        Assert.That(ErfReference.Erf(0), Is.EqualTo(0));
        Assert.That(ErfReference.Erf(1), Is.EqualTo(0.8427007929497149).Within(1e-15));
        Assert.That(ErfReference.Erf(-2.5), Is.EqualTo(-0.9995930479825550).Within(1e-15));
        Assert.That(ErfReference.Erf(40), Is.EqualTo(1));
        Assert.That(double.IsNaN(ErfReference.Erf(double.NaN)));
    }

    [Test]
    public void FloatErfIsWithinThreeUlpsEverywhere()
    {
        // dense over [−6, 6], plus tiny arguments where a relative error would show
        var xs = Enumerable.Range(-120000, 240001).Select(i => i * 5e-5f)
            .Concat(Enumerable.Range(-40, 81).Select(i => MathF.Sign(i) * MathF.Pow(10, -Math.Abs(i) / 4f))).ToArray();
        double worst = 0;
        float worstX = 0;
        foreach (var x in xs)
        {
            float exact = (float)ErfReference.Erf(x);
            double ulps = Math.Abs(ErfMath.Erf(x) - ErfReference.Erf(x)) / Ulp(exact);
            if (ulps > worst) (worst, worstX) = (ulps, x);
        }
        Assert.That(worst, Is.LessThanOrEqualTo(3.0), $"worst error {worst:F2} ulp at x = {worstX}");
        Assert.That(ErfMath.Erf(float.PositiveInfinity), Is.EqualTo(1f));
        Assert.That(ErfMath.Erf(float.NegativeInfinity), Is.EqualTo(-1f));
    }

    [Test]
    public void SimdErfEqualsTheScalarOneClosely()
    {
        int w = Vector<float>.Count;
        var xs = Enumerable.Range(-2000, 4000).Select(i => i * 3.1e-3f).ToArray();
        for (int i = 0; i + w <= xs.Length; i += w)
        {
            var v = ErfMath.Erf(new Vector<float>(xs, i));
            for (int k = 0; k < w; k++)
                Assert.That(v[k], Is.EqualTo(ErfMath.Erf(xs[i + k])).Within(2 * Ulp(ErfMath.Erf(xs[i + k]))), $"erf({xs[i + k]})");
        }
    }

    [Test]
    public void ErfcReferenceMatchesPyTorchInDouble()
    {
        var x = Values("erfc.x");
        var y = Values("erfc.y");
        for (int i = 0; i < x.Length; i++)
            Assert.That(ErfReference.Erfc(x[i]), Is.EqualTo(y[i]).Within(1e-14 * Math.Abs(y[i])), $"erfc({x[i]})");
    }

    [Test]
    public void FloatErfcIsAccurateRelativeToItselfDownToItsTail()
    {
        // relative to erfc itself (down to 1e-35 at x = 9), where 1 − erf would have lost every digit; the bound
        // is 6 + x² ulps (the x² part: the rounding of x² amplified by e^{−x²}). The scalar function (what
        // kernels compile) and its SIMD twin (the CPU host path) alike.
        var xs = Enumerable.Range(-10000, 32504).Select(i => i * 4e-4f).ToArray();
        int w = Vector<float>.Count;
        var simd = new float[xs.Length];
        for (int i = 0; i + w <= xs.Length; i += w) ErfMath.Erfc(new Vector<float>(xs, i)).CopyTo(simd, i);
        foreach (var (name, f) in new (string, Func<int, float>)[] { ("scalar", i => ErfMath.Erfc(xs[i])), ("SIMD", i => simd[i]) })
        {
            double worst = 0;
            float worstX = 0;
            for (int i = 0; i < xs.Length / w * w; i++)
            {
                double exact = ErfReference.Erfc(xs[i]);
                double ulps = Math.Abs(f(i) - exact) / Ulp((float)exact) / (6 + xs[i] * xs[i]);
                if (ulps > worst) (worst, worstX) = (ulps, xs[i]);
            }
            Assert.That(worst, Is.LessThanOrEqualTo(1.0), $"{name} erfc: worst error {worst:F2}·(6 + x²) ulp at x = {worstX}");
        }
        Assert.That(ErfMath.Erfc(30f), Is.EqualTo(0f));
        Assert.That(ErfMath.Erfc(-30f), Is.EqualTo(2f));
    }

    // the spacing of floats at |v| (the smallest normal spacing below 2⁻¹²⁶)
    static double Ulp(float v) => Math.Max(MathF.BitIncrement(MathF.Abs(v)) - MathF.Abs(v), float.Epsilon);
}
