namespace WeJepa.Simulation.Rendering;

/// <summary>Signed distances (world units) and anti-aliased coverage, written as the shader writes them.</summary>
public static class Sdf
{
    /// <summary>Distance from p to the segment a–b (a capsule of radius 0).</summary>
    public static float Segment(float px, float py, float ax, float ay, float bx, float by)
    {
        float pax = px - ax, pay = py - ay, bax = bx - ax, bay = by - ay;
        float len2 = bax * bax + bay * bay;
        float h = len2 > 0f ? Math.Clamp((pax * bax + pay * bay) / len2, 0f, 1f) : 0f;
        float dx = pax - bax * h, dy = pay - bay * h;
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>Distance from p to the centre c (subtract a radius for a disc).</summary>
    public static float Point(float px, float py, float cx, float cy)
    {
        float dx = px - cx, dy = py - cy;
        return MathF.Sqrt(dx * dx + dy * dy);
    }

    /// <summary>
    /// Fraction of a pixel covered by a shape at signed distance <paramref name="d"/>: a one-pixel
    /// linear ramp centred on the edge (a box filter's response to a straight edge).
    /// </summary>
    public static float Coverage(float d, float pixel) => Math.Clamp(0.5f - d / pixel, 0f, 1f);

    public static float Mix(float a, float b, float t) => a + (b - a) * t;
}
