using ScottPlot;

namespace WeJepa.Reports;

/// <summary>One thing drawn on a <see cref="Chart"/>: it adds its ScottPlot plottables and names its legend entry.</summary>
internal abstract record ChartLayer(string Name)
{
    protected static LinePattern Pattern(Dash dash) => dash switch
    {
        Dash.Dashed => LinePattern.Dashed,
        Dash.Dotted => LinePattern.Dotted,
        _ => LinePattern.Solid,
    };

    public abstract bool IsEmpty { get; }
    public abstract void Draw(Plot plot, Func<double, double> toAxisY, ChartStyle style);
    public abstract LegendItem? Legend(ChartStyle style);
}

/// <summary>A polyline (MarkerSize 0) or unconnected dots.</summary>
internal sealed record LineLayer(string Name, double[] X, double[] Y, Rgb8 Color, Dash Dash, float MarkerSize) : ChartLayer(Name)
{
    public override bool IsEmpty => X.Length == 0;

    public override void Draw(Plot plot, Func<double, double> toAxisY, ChartStyle style)
    {
        // Each finite run is its own piece: a NaN, or a value ≤ 0 on a log axis, leaves a gap rather than a jump.
        foreach (var (xs, ys) in FiniteRuns(toAxisY))
        {
            var s = plot.Add.Scatter(xs, ys, Color.ToScottPlot());
            s.LineWidth = MarkerSize > 0 ? 0 : style.LineWidth;
            s.LinePattern = Pattern(Dash);
            s.MarkerSize = MarkerSize;
            s.MarkerShape = MarkerSize > 0 ? MarkerShape.FilledCircle : MarkerShape.None;
        }
    }

    public override LegendItem? Legend(ChartStyle style) => Name.Length == 0 ? null : new LegendItem
    {
        LabelText = Name,
        LineColor = Color.ToScottPlot(),
        LineWidth = MarkerSize > 0 ? 0 : style.LineWidth + 1,
        LinePattern = Pattern(Dash),
        MarkerShape = MarkerSize > 0 ? MarkerShape.FilledCircle : MarkerShape.None,
        MarkerFillColor = Color.ToScottPlot(),
        MarkerLineColor = Color.ToScottPlot(),
        MarkerSize = Math.Max(MarkerSize, 8),
    };

    private IEnumerable<(double[] X, double[] Y)> FiniteRuns(Func<double, double> toAxisY)
    {
        var (xs, ys) = (new List<double>(), new List<double>());
        for (var i = 0; i <= X.Length; i++)
        {
            var y = i < X.Length ? toAxisY(Y[i]) : double.NaN;
            if (i < X.Length && double.IsFinite(X[i]) && double.IsFinite(y)) { xs.Add(X[i]); ys.Add(y); continue; }
            if (xs.Count > 0) yield return (xs.ToArray(), ys.ToArray());
            xs.Clear();
            ys.Clear();
        }
    }
}

/// <summary>Contour lines of a field at given levels, in one colour.</summary>
internal sealed record ContourLayer(string Name, Field Field, double[] Levels, Rgb8 Color, Dash Dash) : ChartLayer(Name)
{
    public override bool IsEmpty => false;

    public override void Draw(Plot plot, Func<double, double> toAxisY, ChartStyle style)
    {
        var grid = new Coordinates3d[Field.Y.Length, Field.X.Length];
        for (var iy = 0; iy < Field.Y.Length; iy++)
        for (var ix = 0; ix < Field.X.Length; ix++)
            grid[iy, ix] = new Coordinates3d(Field.X[ix], Field.Y[iy], Field.Z[iy, ix]);
        var lines = new ScottPlot.Plottables.ContourLines { ContourLineLevels = Levels };
        lines.LineColor = Color.ToScottPlot();
        lines.LineWidth = style.LineWidth;
        lines.LinePattern = Pattern(Dash);
        lines.LabelStyle.IsVisible = false;
        lines.Update(grid);
        plot.Add.Plottable(lines);
    }

    public override LegendItem? Legend(ChartStyle style) => Name.Length == 0 ? null : new LegendItem
    {
        LabelText = Name,
        LineColor = Color.ToScottPlot(),
        LineWidth = style.LineWidth + 1,
        LinePattern = Pattern(Dash),
    };
}

/// <summary>A field as viridis colours with a colour bar.</summary>
internal sealed record HeatmapLayer(string Name, Field Field) : ChartLayer(Name)
{
    public override bool IsEmpty => false;

    public override void Draw(Plot plot, Func<double, double> toAxisY, ChartStyle style)
    {
        int nx = Field.X.Length, ny = Field.Y.Length;
        var rows = new double[ny, nx]; // ScottPlot's row 0 is the top of the image: the largest y
        for (var iy = 0; iy < ny; iy++)
        for (var ix = 0; ix < nx; ix++)
            rows[ny - 1 - iy, ix] = Field.Z[iy, ix];
        var map = plot.Add.Heatmap(rows);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Smooth = true; // a sampled continuous function, not a table of cells
        // Each sample is the centre of its cell.
        double dx = (Field.X[^1] - Field.X[0]) / (nx - 1), dy = (Field.Y[^1] - Field.Y[0]) / (ny - 1);
        map.Extent = new CoordinateRect(Field.X[0] - dx / 2, Field.X[^1] + dx / 2, Field.Y[0] - dy / 2, Field.Y[^1] + dy / 2);
        var bar = plot.Add.ColorBar(map);
        bar.Label = Name;
        bar.LabelStyle.FontName = style.Font;
        bar.LabelStyle.FontSize = style.LabelSize;
        bar.LabelStyle.Bold = false;
        bar.LabelStyle.ForeColor = style.Text.ToScottPlot();
        bar.Axis.TickLabelStyle.FontName = style.Font;
        bar.Axis.TickLabelStyle.FontSize = style.TickSize;
    }

    public override LegendItem? Legend(ChartStyle style) => null;
}
