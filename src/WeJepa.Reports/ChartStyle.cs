using ScottPlot;

namespace WeJepa.Reports;

/// <summary>
/// The look every chart shares: the embedded font (<see cref="ChartFont"/>), text sizes, colours, line width
/// and the series palette. <see cref="Default"/> is what the project's reports use.
/// </summary>
public sealed record ChartStyle
{
    public static readonly ChartStyle Default = new();

    public float TitleSize { get; init; } = 22;
    public float LabelSize { get; init; } = 18;
    public float TickSize { get; init; } = 14;
    public float LegendSize { get; init; } = 15;
    public float LineWidth { get; init; } = 2;
    public Rgb8 Background { get; init; } = Rgb8.White;
    public Rgb8 Text { get; init; } = Rgb8.Hex("#222222");
    public Rgb8 Grid { get; init; } = Rgb8.Hex("#e4e4e4");

    /// <summary>The font family: always the embedded one, except in tests that prove a font drawing nothing is caught.</summary>
    internal string Font { get; init; } = ChartFont.Family;

    /// <summary>Series colours in order (matplotlib's tab10: blue, orange, green, red, purple, brown, pink, grey).</summary>
    public IReadOnlyList<Rgb8> Palette { get; init; } =
        new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f" }.Select(Rgb8.Hex).ToArray();

    /// <summary>Sets the font explicitly on every text element (never fontconfig or a system default), then sizes and colours.</summary>
    internal void Apply(Plot plot)
    {
        ChartFont.Register();
        var font = Font;
        plot.FigureBackground.Color = Background.ToScottPlot();
        plot.DataBackground.Color = Background.ToScottPlot();
        plot.Axes.Color(Text.ToScottPlot());
        plot.Grid.MajorLineColor = Grid.ToScottPlot();
        plot.Axes.Title.Label.FontName = font;
        plot.Axes.Title.Label.FontSize = TitleSize;
        plot.Axes.Title.Label.Bold = true;
        foreach (var axis in plot.Axes.GetAxes())
        {
            axis.Label.FontName = font;
            axis.Label.FontSize = LabelSize;
            axis.Label.Bold = false;
            axis.TickLabelStyle.FontName = font;
            axis.TickLabelStyle.FontSize = TickSize;
        }
        plot.Legend.FontName = font;
        plot.Legend.FontSize = LegendSize;
        plot.Legend.SetBestFontOnEachRender = false; // its font detection would pick a machine font
        plot.Legend.FontColor = Text.ToScottPlot();
    }
}
