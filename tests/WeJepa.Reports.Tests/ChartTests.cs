namespace WeJepa.Reports.Tests;

public class ChartTests
{
    private static readonly Rgb8 Red = Rgb8.Hex("#ff0000"), Green = Rgb8.Hex("#00ff00"), Blue = Rgb8.Hex("#0000ff");
    private static readonly double[] Xs = Enumerable.Range(0, 101).Select(i => i / 10.0).ToArray();

    /// <summary>Rows (top to bottom) in column <paramref name="x"/> whose pixel is exactly <paramref name="color"/>.</summary>
    private static int[] RowsOf(ChartImage image, int x, Rgb8 color) => Enumerable.Range(0, image.Height).Where(y => image[x, y] == color).ToArray();

    /// <summary>Whether a pixel within <paramref name="radius"/> of (x, y) is close to <paramref name="color"/>.</summary>
    private static bool Near(ChartImage image, (double X, double Y) at, Rgb8 color, int radius = 2)
    {
        for (var y = (int)at.Y - radius; y <= (int)at.Y + radius; y++)
        for (var x = (int)at.X - radius; x <= (int)at.X + radius; x++)
        {
            var p = image[x, y];
            if (Math.Abs(p.R - color.R) + Math.Abs(p.G - color.G) + Math.Abs(p.B - color.B) < 60) return true;
        }
        return false;
    }

    [Test]
    public void EachLineIsDrawnWhereItsDataIs()
    {
        var chart = new Chart("levels", "x", "y") { YRange = (0, 2) }
            .Line("low", Xs, Xs.Select(_ => 0.5).ToArray(), Red)
            .Line("high", Xs, Xs.Select(_ => 1.5).ToArray(), Blue)
            .Line("middle", Xs, Xs.Select(_ => 1.0).ToArray(), Green);
        var image = chart.Render(600, 400);
        var column = (int)image.PixelOf(5, 0).X;
        foreach (var (y, color) in new[] { (0.5, Red), (1.5, Blue), (1.0, Green) })
        {
            var rows = RowsOf(image, column, color);
            Assert.That(rows, Is.Not.Empty, $"{color} at x = 5");
            Assert.That(rows.Average(), Is.EqualTo(image.PixelOf(5, y).Y).Within(1.5), $"{color} is drawn at y = {y}");
        }
        Assert.That(image.PixelOf(5, 1.5).Y, Is.LessThan(image.PixelOf(5, 0.5).Y), "larger y is higher in the image");
        Assert.That(image.PixelOf(5, 1.0).Y, Is.EqualTo((image.PixelOf(5, 0.5).Y + image.PixelOf(5, 1.5).Y) / 2).Within(0.5), "the y axis is linear");
        var (top, bottom) = (image.PixelOf(0, 2).Y, image.PixelOf(0, 0).Y);
        Assert.That((top, bottom), Is.EqualTo(((double)image.DataArea.Top, (double)image.DataArea.Bottom)).Within(1.0), "YRange fills the data area exactly");
    }

    [Test]
    public void TheLegendNamesEverySeriesBesideTheDataNotOverIt()
    {
        var image = new Chart("two", "x", "y").Line("first", Xs, Xs, Red).Line("second", Xs, Xs.Select(x => 10 - x).ToArray(), Blue).Render(600, 400);
        var right = new PixelBox(image.DataArea.Right + 2, image.DataArea.Top, image.Width, image.DataArea.Bottom);
        bool Has(Rgb8 c) => Enumerable.Range(right.Left, right.Width).Any(x => Enumerable.Range(right.Top, right.Height).Any(y => image[x, y] == c));
        Assert.That(Has(Red) && Has(Blue), Is.True, "both swatches right of the data area");
        Assert.That(image.Ink(right), Is.GreaterThan(300), "and their names");

        var single = new Chart("one", "x", "y").Line("only", Xs, Xs, Red).Render(600, 400);
        Assert.That(single.DataArea.Right, Is.GreaterThan(image.DataArea.Right), "no legend for a single series: the data gets the width");
    }

    [Test]
    public void NonFiniteValuesBreakALineInsteadOfBreakingTheChart()
    {
        var y = Xs.Select(x => x is > 4 and < 6 ? double.NaN : 1.0).ToArray();
        y[^1] = double.PositiveInfinity;
        var image = new Chart("gap", "x", "y") { YRange = (0, 2) }.Line("y", Xs, y, Red).Render(600, 400);
        Assert.That(Near(image, image.PixelOf(2, 1), Red), Is.True);
        Assert.That(Near(image, image.PixelOf(8, 1), Red), Is.True);
        Assert.That(Near(image, image.PixelOf(5, 1), Red), Is.False, "no line across the NaN gap");
    }

    [Test]
    public void ASeriesWithNoFiniteValueStillGivesAChartWithItsText()
    {
        // A diverged training run (every loss NaN) still gets its loss chart, with axes and text, and no exception.
        var image = new Chart("diverged", "step", "loss") { LogY = true }.Line("train", [0, 1, 2], [double.NaN, double.PositiveInfinity, -1], Red).Render(400, 300);
        Assert.That(image.MissingText(), Is.Empty);
        Assert.That(Enumerable.Range(0, image.Width).Any(x => Enumerable.Range(0, image.Height).Any(y => image[x, y] == Red)), Is.False);
    }

    [Test]
    public void ALogAxisSpacesDecadesEvenlyAndLeavesOutNonPositiveValues()
    {
        double[] x = [0, 1, 2, 3, 4], loss = [1, 0.1, 0.01, 0.001, 0];
        var image = new Chart("loss", "step", "loss") { LogY = true }.Line("loss", x, loss, Red).Render(600, 400);
        var ys = new[] { 1, 0.1, 0.01, 0.001 }.Select(v => image.PixelOf(0, v).Y).ToArray();
        Assert.That(ys[1] - ys[0], Is.EqualTo(ys[2] - ys[1]).Within(0.01).And.EqualTo(ys[3] - ys[2]).Within(0.01).And.GreaterThan(50));
        // 10^−x is a straight line on a log axis: its midpoint between steps 1 and 2 is at 10^−1.5.
        Assert.That(Near(image, image.PixelOf(1.5, Math.Pow(10, -1.5)), Red), Is.True);
        Assert.That(Chart.PowerOfTen(-3), Is.EqualTo("0.001"));
        Assert.That(Chart.PowerOfTen(0), Is.EqualTo("1"));
        Assert.That(Chart.PowerOfTen(3), Is.EqualTo("1000"));
        Assert.That(Chart.PowerOfTen(-5), Is.EqualTo("1e-5"));
        Assert.That(Chart.PowerOfTen(6), Is.EqualTo("1e6"));
    }

    [Test]
    public void ContoursLieOnTheirLevelSets()
    {
        // H = q² + p²: the level-1 contour is the unit circle, the level-4 one the circle of radius 2.
        var h = Field.Sample((-3, 3), (-3, 3), 61, 61, (q, p) => q * q + p * p);
        var image = new Chart("circles", "q", "p").Contours("H", h, [1, 4], Red).Render(600, 600);
        foreach (var r in new[] { 1.0, 2.0 })
        for (var k = 0; k < 12; k++)
        {
            var a = k * Math.PI / 6;
            Assert.That(Near(image, image.PixelOf(r * Math.Cos(a), r * Math.Sin(a)), Red), Is.True, $"radius {r}, angle {k * 30}°");
        }
        foreach (var (q, p) in new[] { (0.0, 0.0), (1.5, 0.0), (0.0, -1.5), (2.5, 0.0) })
            Assert.That(Near(image, image.PixelOf(q, p), Red), Is.False, $"no contour at ({q}, {p})");
        // The data area is the whole field, not just the drawn contours.
        var (corner0, corner1) = (image.PixelOf(-3, 3), image.PixelOf(3, -3));
        Assert.That(new[] { corner0.X, corner0.Y, corner1.X, corner1.Y },
            Is.EqualTo(new double[] { image.DataArea.Left, image.DataArea.Top, image.DataArea.Right, image.DataArea.Bottom }).Within(1.5));
        var none = new Chart("above", "q", "p").Contours("H", h, [100], Red).Render(300, 300);
        Assert.That(none.PixelOf(-3, -3).X, Is.EqualTo(none.DataArea.Left).Within(1), "levels outside the field draw nothing but still show the field's extent");
    }

    [Test]
    public void ALearnedAndATrueFieldOverlayInTheirOwnColours()
    {
        var truth = Field.Sample((-3, 3), (-3, 3), 41, 41, (q, p) => q * q + p * p);
        var learned = Field.Sample((-3, 3), (-3, 3), 41, 41, (q, p) => 1.21 * (q * q + p * p)); // circles 1/1.1 as large
        var image = new Chart("H", "q", "p").Contours("true H", truth, [4], Blue).Contours("learned H", learned, [4], Red, Dash.Dashed).Render(600, 600);
        Assert.That(Near(image, image.PixelOf(2, 0), Blue), Is.True);
        Assert.That(Near(image, image.PixelOf(2 / 1.1, 0), Red, radius: 4), Is.True);
        Assert.That(Near(image, image.PixelOf(0, 2 / 1.1), Red, radius: 4), Is.True);
    }

    [Test]
    public void AHeatmapIsBrightWhereTheFieldIsHighWithTheLargestYAtTheTop()
    {
        static double Luma(Rgb8 c) => 0.299 * c.R + 0.587 * c.G + 0.114 * c.B;
        var up = Field.Sample((0, 1), (0, 1), 11, 11, (_, y) => y);
        var image = new Chart("y", "x", "y").Heatmap("value", up).Render(500, 400);
        var column = Enumerable.Range(0, 11).Select(i => Luma(image[(int)image.PixelOf(0.5, 0).X, (int)image.PixelOf(0.5, i / 10.0).Y])).ToArray();
        Assert.That(column, Is.Ordered.Ascending, "viridis brightens with the value; the value grows upwards");
        var right = Field.Sample((0, 1), (0, 1), 11, 11, (x, _) => x);
        var rows = new Chart("x", "x", "y").Heatmap("value", right).Render(500, 400);
        var row = Enumerable.Range(0, 11).Select(i => Luma(rows[(int)rows.PixelOf(i / 10.0, 0).X, (int)rows.PixelOf(0, 0.5).Y])).ToArray();
        Assert.That(row, Is.Ordered.Ascending);
        Assert.That(image.PixelOf(0, 0).X - image.DataArea.Left, Is.GreaterThan(5), "samples are cell centres: the map reaches half a cell past them");
    }

    [Test]
    public void PointsAreDrawnAsDotsAtTheirCoordinates()
    {
        var image = new Chart("dots", "q", "p").Points("samples", [0, 1, 2], [0, 2, 1], Red, size: 6).Render(500, 400);
        Assert.That(Near(image, image.PixelOf(1, 2), Red, 1), Is.True);
        Assert.That(Near(image, image.PixelOf(0.5, 1), Red), Is.False, "points are not connected");
    }

    [Test]
    public void AConstantSeriesStillGetsAVisibleRange()
    {
        var image = new Chart("flat", "t", "E").Line("E", [0, 1, 2], [5, 5, 5], Red).Render(300, 200);
        Assert.That(RowsOf(image, (int)image.PixelOf(1, 5).X, Red), Is.Not.Empty);
    }

    [Test]
    public void BadInputIsRefusedWithItsName()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => new Chart("t", "x", "y").Line("E", [0, 1], [0]))!.Message, Does.Contain("series 'E': 2 x values but 1 y values"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => new Chart("empty", "x", "y").Render())!.Message, Does.Contain("chart 'empty' has no data"));
        var h = Field.Sample((0, 1), (0, 1), 3, 3, (x, y) => x + y);
        Assert.Throws<InvalidOperationException>(() => new Chart("t", "x", "y") { LogY = true }.Contours("H", h, [1]).Render());
        Assert.Throws<ArgumentException>(() => new Chart("t", "x", "y").Contours("H", h, []));
        Assert.Throws<ArgumentException>(() => new Chart("t", "x", "y").Contours("H", Field.Sample((0, 1), (0, 1), 3, 3, (_, _) => double.NaN), [1]));
        Assert.Throws<ArgumentException>(() => new Field([0, 1], [1, 0], new double[2, 2]), "decreasing y");
        Assert.Throws<ArgumentException>(() => new Field([0, 1, 2], [0, 1], new double[3, 2]), "z is (y, x)");
    }

    [Test]
    public void FieldLevelsAreEvenlySpacedInsideItsRange()
    {
        var h = Field.Sample((0, 2), (0, 1), 3, 2, (x, y) => x + 2 * y); // values 0..4
        Assert.That(h.X, Is.EqualTo(new[] { 0.0, 1, 2 }));
        Assert.That(h.Z[1, 2], Is.EqualTo(4));
        Assert.That(h.Levels(3), Is.EqualTo(new[] { 1.0, 2, 3 }).Within(1e-12));
    }
}
