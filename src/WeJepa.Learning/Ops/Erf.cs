using System.Numerics;
using ILGPU.Algorithms;

namespace WeJepa.Learning;

/// <summary>
/// Single-precision erf for kernels (ILGPU 1.5.3's XMath has none) and its SIMD twin for the CPU path.
/// |x| &lt; 1: the Maclaurin series (12 terms, |terms| shrink fast, no cancellation);
/// 1 ≤ |x| &lt; 4: erf = 1 − e^{−x²}·f(x)/x, with f(x) = x·e^{x²}·erfc(x) fitted once (least squares on Chebyshev
/// nodes, degree 10, max relative error 3e-9) as a polynomial in z = (2/x − 1.25)/0.75 ∈ [−1, 1];
/// |x| ≥ 4: erf = ±1 (erfc(4) ≈ 1.5e-8 is below half an ulp of 1).
/// Measured against <see cref="ErfReference"/>: within 2.5 float ulps over the whole line (worst near |x| = 1; see ErfTests).
/// </summary>
public static class ErfMath
{
    public static float Erf(float x)
    {
        float a = x < 0 ? -x : x;
        float r;
        if (a < 1f)
        {
            r = a * Small(a * a);
        }
        else if (a < 4f)
        {
            float z = (2f / a - 1.25f) * (1f / 0.75f);
            r = 1f - XMath.Exp(-a * a) * Large(z) / a;
        }
        else r = 1f;
        return x < 0 ? -r : r;
    }

    // 2/√π·Σ_{n<12} (−1)ⁿ yⁿ/(n!(2n+1)), y = x²
    static float Small(float y) =>
        1.1283791670955126f + y * (-0.37612638903183754f + y * (0.11283791670955126f + y * (-0.026866170645131252f
        + y * (0.005223977625442188f + y * (-0.0008548327023450852f + y * (0.00012055332981789664f
        + y * (-1.492565035840625e-05f + y * (1.6462114365889246e-06f + y * (-1.6365844691234924e-07f
        + y * (1.4807192815879218e-08f + y * -1.2290555301717926e-09f))))))))));

    // f(x) = x·e^{x²}·erfc(x) as a polynomial in z
    static float Large(float z) =>
        0.48952478774518576f + z * (-0.06434461802444974f + z * (-0.00018205305541142854f + z * (0.0038022336521423812f
        + z * (-0.0015431373439266367f + z * (0.0003679702359201936f + z * (-2.8500881122359613e-05f
        + z * (-2.5731525082966007e-05f + z * (1.8369015594655653e-05f + z * (-6.98235910788554e-06f
        + z * 1.2383870939680851e-06f)))))))));

    /// <summary>
    /// erfc(x), accurate relative to itself in its tail: erfc(x) = 2 − erfc(−x); for a = |x|,
    /// erfc(a) = t·e^{−a²}·g(z), t = 1/(1 + a/2), z = 2.4·t − 1.4 ∈ [−1, 1], g fitted once (least squares on Chebyshev
    /// nodes over a ∈ [0, 10], degree 10, max relative error 1.2e-8); beyond a = 10, erfc underflows to 0 anyway.
    /// Measured: within (6 + x²) ulps of erfc itself (the x² term: rounding of x² amplified by e^{−x²}; see ErfTests).
    /// </summary>
    public static float Erfc(float x)
    {
        float a = x < 0 ? -x : x;
        float r = ErfcOfAbs(a, XMath.Exp(-a * a));
        return x < 0 ? 2f - r : r;
    }

    /// <summary>erfc(a) for a ≥ 0 given e^{−a²} (callers that also need e^{−a²}, like GELU's backward, pay for one exp).</summary>
    public static float ErfcOfAbs(float a, float expMinusASquared)
    {
        float t = 1f / (1f + 0.5f * XMath.Min(a, 10f));
        return t * expMinusASquared * Tail(2.4f * t - 1.4f);
    }

    // g(z) = erfc(a)·e^{a²}/t
    static float Tail(float z) =>
        0.5720119746641054f + z * (0.3262225059704251f + z * (0.10202984200740534f + z * (0.0059627350087022345f
        + z * (-0.006154631886775975f + z * (-0.0006193069891039824f + z * (0.0005975739269987694f
        + z * (4.1514693462016815e-06f + z * (-6.771483382032478e-05f + z * (6.942942158411205e-06f
        + z * 5.939186315101311e-06f)))))))));

    /// <summary>SIMD twin of <see cref="ErfcOfAbs(float, float)"/>.</summary>
    public static Vector<float> ErfcOfAbs(Vector<float> a, Vector<float> expMinusASquared)
    {
        var t = Vector<float>.One / (Vector<float>.One + new Vector<float>(0.5f) * Vector.Min(a, new Vector<float>(10f)));
        var z = new Vector<float>(2.4f) * t - new Vector<float>(1.4f);
        var r = new Vector<float>(5.939186315101311e-06f);
        r = r * z + new Vector<float>(6.942942158411205e-06f);
        r = r * z + new Vector<float>(-6.771483382032478e-05f);
        r = r * z + new Vector<float>(4.1514693462016815e-06f);
        r = r * z + new Vector<float>(0.0005975739269987694f);
        r = r * z + new Vector<float>(-0.0006193069891039824f);
        r = r * z + new Vector<float>(-0.006154631886775975f);
        r = r * z + new Vector<float>(0.0059627350087022345f);
        r = r * z + new Vector<float>(0.10202984200740534f);
        r = r * z + new Vector<float>(0.3262225059704251f);
        r = r * z + new Vector<float>(0.5720119746641054f);
        return t * expMinusASquared * r;
    }

    /// <summary>SIMD twin of <see cref="Erfc(float)"/>.</summary>
    public static Vector<float> Erfc(Vector<float> x)
    {
        var a = Vector.Abs(x);
        var r = ErfcOfAbs(a, Vector.Exp(-a * a));
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), new Vector<float>(2f) - r, r);
    }

    /// <summary>The same function on a SIMD vector (both branches evaluated, then selected).</summary>
    public static Vector<float> Erf(Vector<float> x)
    {
        var a = Vector.Abs(x);
        var small = a * SmallV(a * a);
        var ac = Vector.Max(a, Vector<float>.One);
        var z = (new Vector<float>(2f) / ac - new Vector<float>(1.25f)) * new Vector<float>(1f / 0.75f);
        var large = Vector<float>.One - Vector.Exp(-ac * ac) * LargeV(z) / ac;
        var r = Vector.ConditionalSelect(Vector.LessThan(a, Vector<float>.One), small,
            Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(4f)), large, Vector<float>.One));
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -r, r);
    }

    static Vector<float> SmallV(Vector<float> y)
    {
        var r = new Vector<float>(-1.2290555301717926e-09f);
        r = r * y + new Vector<float>(1.4807192815879218e-08f);
        r = r * y + new Vector<float>(-1.6365844691234924e-07f);
        r = r * y + new Vector<float>(1.6462114365889246e-06f);
        r = r * y + new Vector<float>(-1.492565035840625e-05f);
        r = r * y + new Vector<float>(0.00012055332981789664f);
        r = r * y + new Vector<float>(-0.0008548327023450852f);
        r = r * y + new Vector<float>(0.005223977625442188f);
        r = r * y + new Vector<float>(-0.026866170645131252f);
        r = r * y + new Vector<float>(0.11283791670955126f);
        r = r * y + new Vector<float>(-0.37612638903183754f);
        return r * y + new Vector<float>(1.1283791670955126f);
    }

    static Vector<float> LargeV(Vector<float> z)
    {
        var r = new Vector<float>(1.2383870939680851e-06f);
        r = r * z + new Vector<float>(-6.98235910788554e-06f);
        r = r * z + new Vector<float>(1.8369015594655653e-05f);
        r = r * z + new Vector<float>(-2.5731525082966007e-05f);
        r = r * z + new Vector<float>(-2.8500881122359613e-05f);
        r = r * z + new Vector<float>(0.0003679702359201936f);
        r = r * z + new Vector<float>(-0.0015431373439266367f);
        r = r * z + new Vector<float>(0.0038022336521423812f);
        r = r * z + new Vector<float>(-0.00018205305541142854f);
        r = r * z + new Vector<float>(-0.06434461802444974f);
        return r * z + new Vector<float>(0.48952478774518576f);
    }
}
