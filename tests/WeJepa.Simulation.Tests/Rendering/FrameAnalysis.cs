using WeJepa.Core.Scenes;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>Reads physical quantities back out of rendered frames (3, H, W) in [0, 1].</summary>
internal static class FrameAnalysis
{
    /// <summary>θ of a simple pendulum from the centroid of bob-coloured pixels (weighted by closeness to the bob colour).</summary>
    public static float ThetaFromBobCentroid(RenderSpec spec, ReadOnlySpan<float> frame)
    {
        int w = spec.Width, h = spec.Height, plane = w * h;
        double sx = 0, sy = 0, sw = 0;
        Rgb bg = spec.Background, bob = spec.BobColor;
        double full = Dist(bg.R, bg.G, bg.B, bob);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            int i = y * w + x;
            double weight = Math.Max(0, 1 - Dist(frame[i], frame[plane + i], frame[2 * plane + i], bob) / full);
            weight = weight > 0.5 ? weight : 0;   // ignore rod and pivot pixels
            sx += weight * x; sy += weight * y; sw += weight;
        }
        double cx = sx / sw + 0.5 - 0.5 * w, cy = 0.5 * h - (sy / sw + 0.5);   // pixels from the pivot, y up
        return (float)Math.Atan2(cx, -cy);
    }

    /// <summary>The colour of the pixel containing world point (x, y).</summary>
    public static Rgb ColorAt(RenderSpec spec, ReadOnlySpan<float> frame, float x, float y)
    {
        int col = (int)MathF.Floor((x - spec.CenterX) / spec.PixelSize + 0.5f * spec.Width);
        int row = (int)MathF.Floor(0.5f * spec.Height - (y - spec.CenterY) / spec.PixelSize);
        int plane = spec.Width * spec.Height, i = row * spec.Width + col;
        return new Rgb(frame[i], frame[plane + i], frame[2 * plane + i]);
    }

    private static double Dist(double r, double g, double b, Rgb c) =>
        Math.Sqrt((r - c.R) * (r - c.R) + (g - c.G) * (g - c.G) + (b - c.B) * (b - c.B));
}
