using BigGustave;
using WeJepa.Core.IO;

namespace WeJepa.Core.Plots;

/// <summary>An RGB image with the few drawing primitives plots need: rectangles, anti-aliased lines, text.</summary>
public sealed class Raster
{
    private readonly byte[] _rgb; // (Height, Width, 3)

    public int Width { get; }
    public int Height { get; }

    public Raster(int width, int height, Rgb8 background)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        (Width, Height) = (width, height);
        _rgb = new byte[width * height * 3];
        FillRect(0, 0, width, height, background);
    }

    public Rgb8 this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return new Rgb8(_rgb[i], _rgb[i + 1], _rgb[i + 2]);
        }
    }

    /// <summary>Mixes <paramref name="color"/> into pixel (x, y) with opacity <paramref name="alpha"/> in [0, 1].</summary>
    public void Blend(int x, int y, Rgb8 color, double alpha)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height || alpha <= 0) return;
        alpha = Math.Min(alpha, 1.0);
        var i = (y * Width + x) * 3;
        _rgb[i] = Mix(_rgb[i], color.R, alpha);
        _rgb[i + 1] = Mix(_rgb[i + 1], color.G, alpha);
        _rgb[i + 2] = Mix(_rgb[i + 2], color.B, alpha);
    }

    public void FillRect(int x, int y, int width, int height, Rgb8 color)
    {
        for (var yy = Math.Max(0, y); yy < Math.Min(Height, y + height); yy++)
        for (var xx = Math.Max(0, x); xx < Math.Min(Width, x + width); xx++)
            Blend(xx, yy, color, 1.0);
    }

    /// <summary>Draws a polyline of the given width, anti-aliased, with no dark spots where segments join.</summary>
    public void Polyline(ReadOnlySpan<(double X, double Y)> points, Rgb8 color, double width)
    {
        // Coverage is the max over segments (not a sum), so overlapping joints do not double up.
        var coverage = new Dictionary<int, double>();
        var half = width / 2;
        for (var i = 0; i + 1 < points.Length; i++)
        {
            var (a, b) = (points[i], points[i + 1]);
            if (!double.IsFinite(a.X + a.Y + b.X + b.Y)) continue;
            int x0 = (int)Math.Floor(Math.Min(a.X, b.X) - half - 1), x1 = (int)Math.Ceiling(Math.Max(a.X, b.X) + half + 1);
            int y0 = (int)Math.Floor(Math.Min(a.Y, b.Y) - half - 1), y1 = (int)Math.Ceiling(Math.Max(a.Y, b.Y) + half + 1);
            for (var y = Math.Max(0, y0); y <= Math.Min(Height - 1, y1); y++)
            for (var x = Math.Max(0, x0); x <= Math.Min(Width - 1, x1); x++)
            {
                var c = Math.Clamp(half + 0.5 - DistanceToSegment(x + 0.5, y + 0.5, a, b), 0, 1);
                if (c <= 0) continue;
                var key = y * Width + x;
                if (!coverage.TryGetValue(key, out var old) || c > old) coverage[key] = c;
            }
        }
        foreach (var (key, c) in coverage) Blend(key % Width, key / Width, color, c);
    }

    /// <summary>Draws text with its top-left corner at (x, y); each font pixel becomes scale×scale pixels.</summary>
    public void Text(int x, int y, string text, Rgb8 color, int scale = 2)
    {
        for (var i = 0; i < text.Length; i++)
        for (var gy = 0; gy < BitmapFont.GlyphHeight; gy++)
        for (var gx = 0; gx < BitmapFont.GlyphWidth; gx++)
            if (BitmapFont.Ink(text[i], gx, gy))
                FillRect(x + (i * BitmapFont.Advance + gx) * scale, y + gy * scale, scale, scale, color);
    }

    public void SavePng(string path) => AtomicFile.Write(path, stream =>
    {
        var png = PngBuilder.Create(Width, Height, false);
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            var i = (y * Width + x) * 3;
            png.SetPixel(_rgb[i], _rgb[i + 1], _rgb[i + 2], x, y);
        }
        png.Save(stream);
    });

    private static byte Mix(byte under, byte over, double alpha) => (byte)Math.Round(under + (over - under) * alpha);

    private static double DistanceToSegment(double px, double py, (double X, double Y) a, (double X, double Y) b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y, len2 = dx * dx + dy * dy;
        var t = len2 == 0 ? 0 : Math.Clamp(((px - a.X) * dx + (py - a.Y) * dy) / len2, 0, 1);
        double ex = a.X + t * dx - px, ey = a.Y + t * dy - py;
        return Math.Sqrt(ex * ex + ey * ey);
    }
}
