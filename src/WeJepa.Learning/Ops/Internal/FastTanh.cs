using System.Numerics;
using System.Runtime.CompilerServices;

namespace WeJepa.Learning;

/// <summary>
/// tanh for the CPU host loops, ~10× faster than TensorPrimitives.Tanh (which costs ~3 ns per element here and
/// dominated the tanh MLPs' elementwise time), within ~2e-7 of the exact value:
/// |x| &lt; 0.4: the odd Taylor series through x¹³ (truncation &lt; 2e-9); else sign(x)·(1 − 2/(e^{2|x|} + 1)) with
/// e^y = 2ⁿ·e^g, n = round(y/ln 2), g = y − n·ln 2 (Cody–Waite split) and e^g by its Taylor series through g⁸.
/// |x| is clamped at 9 (tanh = 1 in float32 beyond); NaN stays NaN.
/// </summary>
static class FastTanh
{
    const float Ln2Hi = 0.693145751953125f, Ln2Lo = 1.428606765330187e-06f, Log2E = 1.44269504088896341f;

    /// <summary>y = tanh(x) elementwise (y may be x).</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0, w = Vector<float>.Count;
        for (; i + w <= x.Length; i += w) Of(new Vector<float>(x.Slice(i))).CopyTo(y.Slice(i));
        for (; i < x.Length; i++) y[i] = MathF.Tanh(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Of(Vector<float> x)
    {
        var a = Vector.Min(Vector.Abs(x), new Vector<float>(9f));
        var a2 = a * a;
        var p = new Vector<float>(21844f / 6081075f);
        p = p * a2 + new Vector<float>(-1382f / 155925f);
        p = p * a2 + new Vector<float>(62f / 2835f);
        p = p * a2 + new Vector<float>(-17f / 315f);
        p = p * a2 + new Vector<float>(2f / 15f);
        p = p * a2 + new Vector<float>(-1f / 3f);
        var small = a + a * a2 * p;
        var large = Vector<float>.One - new Vector<float>(2f) / (Exp(a + a) + Vector<float>.One);
        var r = Vector.ConditionalSelect(Vector.LessThan(a, new Vector<float>(0.4f)), small, large);
        r = Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), -r, r);
        return Vector.ConditionalSelect(Vector.Equals(x, x), r, x); // NaN in, NaN out
    }

    /// <summary>e^y for y in [0, 18].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector<float> Exp(Vector<float> y)
    {
        var n = Vector.Floor(y * new Vector<float>(Log2E) + new Vector<float>(0.5f));
        var g = y - n * new Vector<float>(Ln2Hi) - n * new Vector<float>(Ln2Lo); // |g| ≤ ln 2 / 2
        var e = new Vector<float>(1f / 40320f);
        e = e * g + new Vector<float>(1f / 5040f);
        e = e * g + new Vector<float>(1f / 720f);
        e = e * g + new Vector<float>(1f / 120f);
        e = e * g + new Vector<float>(1f / 24f);
        e = e * g + new Vector<float>(1f / 6f);
        e = e * g + new Vector<float>(0.5f);
        e = e * g + Vector<float>.One;
        e = e * g + Vector<float>.One;
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.ConvertToInt32(n) + new Vector<int>(127), 23));
        return e * scale;
    }
}
