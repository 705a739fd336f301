namespace WeJepa.Simulation.Rendering;

/// <summary>Signed distances (world units) and anti-aliased coverage, written as the shader writes them.</summary>
public static class Sdf
{
    /// <summary>
    /// Distance from p to the segment a + h·(bax, bay), h in [0, 1] (a capsule of radius 0);
    /// <paramref name="invLen2"/> = <see cref="InverseLength2"/>(bax, bay), computed once per segment.
    /// </summary>
    public static float Segment(float px, float py, float ax, float ay, float bax, float bay, float invLen2)
    {
        float pax = px - ax, pay = py - ay;
        float h = Math.Clamp((pax * bax + pay * bay) * invLen2, 0f, 1f);
        float dx = pax - bax * h, dy = pay - bay * h;
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>1 / |(x, y)|², or 0 for a zero vector (a degenerate segment is its first point).</summary>
    public static float InverseLength2(float x, float y)
    {
        float len2 = x * x + y * y;
        return len2 > 0f ? 1f / len2 : 0f;
    }

    /// <summary>Distance from p to the centre c (subtract a radius for a disc).</summary>
    public static float Point(float px, float py, float cx, float cy)
    {
        float dx = px - cx, dy = py - cy;
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>
    /// Fraction of a pixel covered by a shape at signed distance <paramref name="d"/> (invPixel = pixels per world unit): a one-pixel
    /// linear ramp centred on the edge (a box filter's response to a straight edge).
    /// </summary>
    public static float Coverage(float d, float invPixel) => Math.Clamp(0.5f - d * invPixel, 0f, 1f);

    public static float Mix(float a, float b, float t) => a + (b - a) * t;
}
