using WeJepa.Viewer.Composition;

namespace WeJepa.Viewer.Tests;

/// <summary>
/// Measures where a pendulum is drawn: the centroid of the pixels of one tile that have the bob's
/// colour, turned into the angle from the downward vertical as seen from the tile's pivot.
/// </summary>
public static class BobFinder
{
    /// <param name="rgb">Interleaved RGB, (height, width, 3).</param>
    /// <returns>θ in radians, and how many pixels matched.</returns>
    public static (double Theta, int Pixels) Angle(byte[] rgb, int width, ViewLayout layout, int pair, bool learned,
        (byte R, byte G, byte B) bob, float scale, float centerX, float centerY)
    {
        var (tx, ty) = layout.TileOrigin(pair, learned);
        double sx = 0, sy = 0;
        var n = 0;
        for (var y = ty; y < ty + layout.Tile; y++)
            for (var x = tx; x < tx + layout.Tile; x++)
            {
                var i = 3 * (y * width + x);
                if (Math.Abs(rgb[i] - bob.R) + Math.Abs(rgb[i + 1] - bob.G) + Math.Abs(rgb[i + 2] - bob.B) > 30) continue;
                sx += x + 0.5;
                sy += y + 0.5;
                n++;
            }
        if (n == 0) return (double.NaN, 0);
        return (layout.AngleAt(pair, learned, scale, centerX, centerY, sx / n, sy / n), n);
    }

    /// <summary>Difference of two angles wrapped to (−π, π].</summary>
    public static double AngleGap(double a, double b)
    {
        var d = (a - b) % (2 * Math.PI);
        if (d > Math.PI) d -= 2 * Math.PI;
        if (d <= -Math.PI) d += 2 * Math.PI;
        return Math.Abs(d);
    }

    public static (byte R, byte G, byte B) Bytes(uint rrggbb) => ((byte)(rrggbb >> 16), (byte)(rrggbb >> 8), (byte)rrggbb);

    public static (byte R, byte G, byte B) Bytes(Core.Scenes.Rgb c) =>
        ((byte)Math.Round(c.R * 255), (byte)Math.Round(c.G * 255), (byte)Math.Round(c.B * 255));

    /// <summary>Pixels of colour <paramref name="c"/> (exactly) inside a rectangle.</summary>
    public static int Count(byte[] rgb, int width, int x0, int y0, int x1, int y1, uint c)
    {
        var (r, g, b) = Bytes(c);
        var n = 0;
        for (var y = y0; y < y1; y++)
            for (var x = x0; x < x1; x++)
            {
                var i = 3 * (y * width + x);
                if (rgb[i] == r && rgb[i + 1] == g && rgb[i + 2] == b) n++;
            }
        return n;
    }
}
