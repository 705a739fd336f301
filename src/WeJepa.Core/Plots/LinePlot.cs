namespace WeJepa.Core.Plots;

/// <summary>One named curve of a <see cref="LinePlot"/>.</summary>
public sealed record Series(string Name, double[] X, double[] Y, Rgb8 Color);

/// <summary>
/// A simple line chart: title, axis labels, nice ticks with grid lines, several coloured series and a
/// legend, rasterised with anti-aliased lines and the built-in bitmap font, saved as PNG.
/// </summary>
public sealed class LinePlot(string title, string xLabel, string yLabel)
{
    private const int Scale = 2, Margin = 16, RightMargin = 36;
    private static readonly Rgb8 Ink = Rgb8.Hex("#222222"), Grid = Rgb8.Hex("#e4e4e4"), Frame = Rgb8.Hex("#888888");

    public List<Series> Series { get; } = [];
    /// <summary>Fixed y range; null to fit the data.</summary>
    public (double Lo, double Hi)? YRange { get; set; }

    public LinePlot Add(string name, double[] x, double[] y, Rgb8? color = null)
    {
        if (x.Length != y.Length) throw new ArgumentException($"series '{name}': {x.Length} x values but {y.Length} y values");
        Series.Add(new Series(name, x, y, color ?? Rgb8.Palette[Series.Count % Rgb8.Palette.Length]));
        return this;
    }

    public void SavePng(string path, int width = 1000, int height = 600) => Render(width, height).SavePng(path);

    public Raster Render(int width = 1000, int height = 600)
    {
        if (Series.Count == 0 || Series.All(s => s.X.Length == 0)) throw new InvalidOperationException($"plot '{title}' has no data");
        var image = new Raster(width, height, Rgb8.White);
        var (xMin, xMax) = (Min(s => s.X), Max(s => s.X));
        var (x0, x1) = (xMin, xMax > xMin ? xMax : xMin + 1);
        var (y0, y1) = YRange ?? Pad(Min(s => s.Y), Max(s => s.Y));
        double[] xTicks = Ticks.For(x0, x1), yTicks = Ticks.For(y0, y1);
        string[] xLabels = Ticks.Labels(xTicks), yLabels = Ticks.Labels(yTicks);

        const int charH = BitmapFont.GlyphHeight * Scale, textH = 7 * Scale;
        var left = Margin + yLabels.Max(l => BitmapFont.Width(l, Scale)) + 10;
        var top = Margin + charH + 10 + charH + 6;                       // title, then the y-axis label
        var right = width - RightMargin;
        var bottom = height - (Margin + charH + 8 + charH + 4);        // tick labels, then the x-axis label
        double Px(double x) => left + (x - x0) / (x1 - x0) * (right - left);
        double Py(double y) => bottom - (y - y0) / (y1 - y0) * (bottom - top);

        foreach (var (t, label) in xTicks.Zip(xLabels))
        {
            var px = (int)Math.Round(Px(t));
            image.FillRect(px, top, 1, bottom - top, Grid);
            image.FillRect(px, bottom, 1, 6, Frame);
            image.Text(px - BitmapFont.Width(label, Scale) / 2, bottom + 9, label, Ink, Scale);
        }
        foreach (var (t, label) in yTicks.Zip(yLabels))
        {
            var py = (int)Math.Round(Py(t));
            image.FillRect(left, py, right - left, 1, Grid);
            image.FillRect(left - 6, py, 6, 1, Frame);
            image.Text(left - 9 - BitmapFont.Width(label, Scale), py - textH / 2, label, Ink, Scale);
        }
        image.FillRect(left, top, 1, bottom - top + 1, Frame);
        image.FillRect(right, top, 1, bottom - top + 1, Frame);
        image.FillRect(left, top, right - left + 1, 1, Frame);
        image.FillRect(left, bottom, right - left + 1, 1, Frame);

        image.Text((width - BitmapFont.Width(title, Scale)) / 2, Margin, title, Ink, Scale);
        image.Text(left, top - charH - 4, yLabel, Ink, Scale);
        image.Text((left + right - BitmapFont.Width(xLabel, Scale)) / 2, height - Margin - charH, xLabel, Ink, Scale);

        foreach (var s in Series)
        {
            var points = new (double, double)[s.X.Length];
            for (var i = 0; i < points.Length; i++)
                points[i] = (Px(s.X[i]), Py(Math.Clamp(s.Y[i], y0 - (y1 - y0), y1 + (y1 - y0))));
            image.Polyline(points, s.Color, 2.0);
        }
        DrawLegend(image, right, top);
        return image;
    }

    /// <summary>One row of swatches and names above the plot's top-right corner (never over the data).</summary>
    private void DrawLegend(Raster image, int right, int top)
    {
        if (Series.Count < 2) return;
        const int swatch = 24, gap = 18;
        var x = right - Series.Sum(s => swatch + 6 + BitmapFont.Width(s.Name, Scale) + gap) + gap;
        var y = top - BitmapFont.GlyphHeight * Scale - 4;
        foreach (var s in Series)
        {
            image.Polyline([(x, y + 7.0), (x + swatch, y + 7.0)], s.Color, 3.0);
            image.Text(x + swatch + 6, y, s.Name, Ink, Scale);
            x += swatch + 6 + BitmapFont.Width(s.Name, Scale) + gap;
        }
    }

    private double Min(Func<Series, double[]> axis) => Series.SelectMany(axis).Where(double.IsFinite).DefaultIfEmpty(0).Min();
    private double Max(Func<Series, double[]> axis) => Series.SelectMany(axis).Where(double.IsFinite).DefaultIfEmpty(0).Max();

    /// <summary>Fits [lo, hi] with a little headroom; widens a flat range so a constant still plots as a line.</summary>
    private static (double, double) Pad(double lo, double hi)
    {
        var span = hi - lo;
        var floor = Math.Max(Math.Abs(hi), Math.Abs(lo)) * 1e-6;
        if (span <= floor) { var c = (lo + hi) / 2; var half = Math.Max(floor, Math.Max(Math.Abs(c) * 0.05, 1e-9)); return (c - half, c + half); }
        return (lo - span * 0.04, hi + span * 0.04);
    }
}
