using WeJepa.Core.IO;

namespace WeJepa.Reports;

/// <summary>A pixel rectangle [Left, Right) × [Top, Bottom).</summary>
public readonly record struct PixelBox(int Left, int Top, int Right, int Bottom)
{
    public int Width => Math.Max(0, Right - Left);
    public int Height => Math.Max(0, Bottom - Top);
    public override string ToString() => $"x [{Left}, {Right}) y [{Top}, {Bottom})";
}

/// <summary>One text element of a chart and the box it was drawn in.</summary>
public sealed record ChartText(string Role, string Text, PixelBox Box);

/// <summary>
/// A rendered chart: RGB pixels (H, W, 3), the data area, the boxes of its title and axis labels, and the
/// mapping from data coordinates to pixels (for tests that check where a series landed).
/// </summary>
public sealed class ChartImage
{
    private readonly Func<double, double, (double X, double Y)> _toPixel;

    public byte[] Rgb { get; }
    public int Width { get; }
    public int Height { get; }
    public Rgb8 Background { get; }
    public PixelBox DataArea { get; }
    /// <summary>Title, x-axis label and y-axis label, in that order.</summary>
    public IReadOnlyList<ChartText> Text { get; }

    internal ChartImage(byte[] rgb, int width, int height, Rgb8 background, PixelBox dataArea, IReadOnlyList<ChartText> text,
        Func<double, double, (double X, double Y)> toPixel)
    {
        (Rgb, Width, Height, Background, DataArea, Text, _toPixel) = (rgb, width, height, background, dataArea, text, toPixel);
    }

    public Rgb8 this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return new Rgb8(Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    /// <summary>Where data point (x, y) lands, in pixels (fractional; y grows downwards).</summary>
    public (double X, double Y) PixelOf(double x, double y) => _toPixel(x, y);

    /// <summary>Pixels inside <paramref name="box"/> that differ clearly (by ≥ 64 in a channel) from the background.</summary>
    public int Ink(PixelBox box) => Ink(Rgb, Width, Height, Background, box);

    /// <summary>
    /// The title and axis labels that have text but little ink where ScottPlot says it drew them: what a missing
    /// font looks like (SkiaSharp then draws nothing and reports no error). Fewer than 3 ink pixels per visible
    /// character counts as missing; real glyphs at the chart's sizes leave 20 or more.
    /// </summary>
    public IReadOnlyList<ChartText> MissingText() =>
        Text.Where(t => t.Text.Any(c => !char.IsWhiteSpace(c)) && Ink(t.Box) < 3 * t.Text.Count(c => !char.IsWhiteSpace(c))).ToList();

    /// <summary>Writes the chart as a PNG (atomically, through ImageSharp).</summary>
    public void SavePng(string path) => PngFile.Save(path, Rgb, Width, Height);

    /// <summary>Ink count in an RGB image (H, W, 3): pixels inside <paramref name="box"/> at least 64 away from <paramref name="background"/> in some channel.</summary>
    public static int Ink(byte[] rgb, int width, int height, Rgb8 background, PixelBox box)
    {
        var count = 0;
        for (var y = Math.Max(0, box.Top); y < Math.Min(height, box.Bottom); y++)
        for (var x = Math.Max(0, box.Left); x < Math.Min(width, box.Right); x++)
        {
            var i = (y * width + x) * 3;
            if (Math.Abs(rgb[i] - background.R) >= 64 || Math.Abs(rgb[i + 1] - background.G) >= 64 || Math.Abs(rgb[i + 2] - background.B) >= 64) count++;
        }
        return count;
    }
}
