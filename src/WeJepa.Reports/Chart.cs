using System.Globalization;
using ScottPlot;
using SkiaSharp;

namespace WeJepa.Reports;

/// <summary>How a line or contour is stroked.</summary>
public enum Dash { Solid, Dashed, Dotted }

/// <summary>
/// A chart for reports, drawn by ScottPlot in the shared <see cref="ChartStyle"/>: a title, axis labels, and any
/// mix of lines, point clouds, contour lines of a <see cref="Field"/> and a heatmap (with a colour bar). A legend
/// (right of the data, never over it) lists the named lines, points and contour sets once there are two or more.
/// Build it with the fluent methods, then <see cref="SavePng"/>:
/// <code>
/// new Chart("Energy", "time (s)", "energy (J)").Line("kinetic", t, ke).Line("total", t, e, Rgb8.Black).SavePng(path);
/// </code>
/// </summary>
public sealed class Chart(string title, string xLabel, string yLabel)
{
    public const int DefaultWidth = 1000, DefaultHeight = 600;

    private readonly List<ChartLayer> _layers = [];
    private int _nextColor;

    /// <summary>The look (font, sizes, colours); the project's charts keep <see cref="ChartStyle.Default"/>.</summary>
    public ChartStyle Style { get; init; } = ChartStyle.Default;
    /// <summary>Fixed x range; null to fit the data.</summary>
    public (double Lo, double Hi)? XRange { get; set; }
    /// <summary>Fixed y range (in data units, also with <see cref="LogY"/>); null to fit the data.</summary>
    public (double Lo, double Hi)? YRange { get; set; }
    /// <summary>A logarithmic y axis, for loss curves: values ≤ 0 are left out, as gaps.</summary>
    public bool LogY { get; set; }

    /// <summary>A polyline through (x[i], y[i]); non-finite points break it into pieces.</summary>
    public Chart Line(string name, double[] x, double[] y, Rgb8? color = null, Dash dash = Dash.Solid)
    {
        CheckPairs(name, x, y);
        _layers.Add(new LineLayer(name, x, y, color ?? NextColor(), dash, MarkerSize: 0));
        return this;
    }

    /// <summary>Unconnected dots at (x[i], y[i]) (a scatter plot, or samples on a phase portrait).</summary>
    public Chart Points(string name, double[] x, double[] y, Rgb8? color = null, float size = 5)
    {
        CheckPairs(name, x, y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        _layers.Add(new LineLayer(name, x, y, color ?? NextColor(), Dash.Solid, MarkerSize: size));
        return this;
    }

    /// <summary>
    /// Contour lines of <paramref name="field"/> at the given levels (e.g. <see cref="Field.Levels"/>); one legend
    /// entry for the set. Overlay two sets at the same levels to compare two functions (a learned and the true H).
    /// </summary>
    public Chart Contours(string name, Field field, double[] levels, Rgb8? color = null, Dash dash = Dash.Solid)
    {
        if (levels.Length == 0 || !levels.All(double.IsFinite)) throw new ArgumentException($"contours '{name}': levels must be finite and at least one");
        if (!field.Z.Cast<double>().All(double.IsFinite)) throw new ArgumentException($"contours '{name}': the field has non-finite values");
        _layers.Add(new ContourLayer(name, field, levels, color ?? NextColor(), dash));
        return this;
    }

    /// <summary>The field as colours (viridis) under everything else, with a colour bar titled <paramref name="name"/>.</summary>
    public Chart Heatmap(string name, Field field)
    {
        if (_layers.Any(l => l is HeatmapLayer)) throw new InvalidOperationException($"chart '{title}' already has a heatmap");
        _layers.Insert(0, new HeatmapLayer(name, field));
        return this;
    }

    /// <summary>Renders, refuses a chart whose title or axis labels left no ink (a missing font), and writes the PNG atomically.</summary>
    public void SavePng(string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        var image = Render(width, height);
        var missing = image.MissingText();
        if (missing.Count > 0)
            throw new InvalidOperationException(
                $"chart '{title}': the {string.Join(" and the ", missing.Select(t => t.Role))} did not render (no ink where ScottPlot drew it): the chart font is not working");
        image.SavePng(path);
    }

    public ChartImage Render(int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
        if (_layers.Count == 0 || _layers.All(l => l.IsEmpty)) throw new InvalidOperationException($"chart '{title}' has no data");
        if (LogY && _layers.Any(l => l is ContourLayer or HeatmapLayer)) throw new InvalidOperationException($"chart '{title}': a log y axis is for lines and points, not fields");

        using var plot = new Plot();
        Style.Apply(plot);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        Func<double, double> toAxisY = LogY ? v => v > 0 ? Math.Log10(v) : double.NaN : v => v;
        foreach (var layer in _layers) layer.Draw(plot, toAxisY, Style);
        if (LogY) plot.Axes.Left.TickGenerator = LogTicks();
        var legend = _layers.Select(l => l.Legend(Style)).OfType<LegendItem>().ToList();
        if (legend.Count >= 2)
        {
            plot.Legend.ManualItems.AddRange(legend);
            plot.ShowLegend(Edge.Right);
        }
        SetLimits(plot, toAxisY);

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        {
            plot.Render(canvas, width, height);
            canvas.Flush();
        }
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4) (rgb[i], rgb[i + 1], rgb[i + 2]) = (rgba[j], rgba[j + 1], rgba[j + 2]);

        var data = plot.LastRender.DataRect;
        var limits = plot.Axes.GetLimits();
        (double, double) ToPixel(double x, double y) => (
            data.Left + (x - limits.Left) / (limits.Right - limits.Left) * data.Width,
            data.Bottom - (toAxisY(y) - limits.Bottom) / (limits.Top - limits.Bottom) * data.Height);
        var text = new[]
        {
            TextOf("title", title, plot.Axes.Title.Label),
            TextOf("x-axis label", xLabel, plot.Axes.Bottom.Label),
            TextOf("y-axis label", yLabel, plot.Axes.Left.Label),
        };
        return new ChartImage(rgb, width, height, Style.Background, Box(data, 0, 0), text, ToPixel);
    }

    private void SetLimits(Plot plot, Func<double, double> toAxisY)
    {
        var hasField = _layers.Any(l => l is ContourLayer or HeatmapLayer);
        var hasPoints = _layers.Any(l => l is LineLayer { MarkerSize: > 0 });
        plot.Axes.Margins(horizontal: hasField ? 0 : hasPoints ? 0.03 : 0, vertical: hasField ? 0 : 0.05);
        plot.Axes.AutoScale();
        // ScottPlot fits contour lines to the lines drawn; a field's chart shows the whole field.
        var fit = plot.Axes.GetLimits();
        foreach (var field in _layers.OfType<ContourLayer>().Select(c => c.Field))
            fit = new AxisLimits(Lo(fit.Left, field.X[0]), Hi(fit.Right, field.X[^1]), Lo(fit.Bottom, field.Y[0]), Hi(fit.Top, field.Y[^1]));
        plot.Axes.SetLimits(fit);
        if (XRange is var (x0, x1)) plot.Axes.SetLimitsX(x0, x1);
        if (YRange is var (y0, y1)) plot.Axes.SetLimitsY(toAxisY(y0), toAxisY(y1));
    }

    // Limits are NaN when nothing drew (e.g. every contour level outside the field).
    private static double Lo(double limit, double v) => double.IsFinite(limit) ? Math.Min(limit, v) : v;
    private static double Hi(double limit, double v) => double.IsFinite(limit) ? Math.Max(limit, v) : v;

    /// <summary>Ticks at powers of ten (with log-spaced minor ticks) when the axis spans a decade or more.</summary>
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        IntegerTicksOnly = true,
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        LabelFormatter = exponent => PowerOfTen(exponent),
    };

    /// <summary>10^<paramref name="exponent"/> as "0.01", "1", "100" near 1 and "1e-5" further out.</summary>
    internal static string PowerOfTen(double exponent)
    {
        var value = Math.Pow(10, exponent);
        return Math.Abs(exponent) <= 3.0001
            ? value.ToString("0.###", CultureInfo.InvariantCulture)
            : value.ToString("0.##e0", CultureInfo.InvariantCulture);
    }

    private static ChartText TextOf(string role, string text, LabelStyle label)
    {
        var r = label.LastRenderPixelRect;
        // ScottPlot reports the box before rotation; a vertical label's ink is that box turned about its centre.
        var turned = Math.Abs(label.Rotation % 180) == 90;
        var (halfW, halfH) = turned ? (r.Height / 2, r.Width / 2) : (r.Width / 2, r.Height / 2);
        var (cx, cy) = ((r.Left + r.Right) / 2, (r.Top + r.Bottom) / 2);
        return new ChartText(role, text, Box(new PixelRect(cx - halfW, cx + halfW, cy + halfH, cy - halfH), 2, 2));
    }

    private static PixelBox Box(PixelRect r, int padX, int padY) =>
        new((int)Math.Floor(r.Left) - padX, (int)Math.Floor(r.Top) - padY, (int)Math.Ceiling(r.Right) + padX, (int)Math.Ceiling(r.Bottom) + padY);

    private Rgb8 NextColor() => Style.Palette[_nextColor++ % Style.Palette.Count];

    private static void CheckPairs(string name, double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"series '{name}': {x.Length} x values but {y.Length} y values");
    }
}
