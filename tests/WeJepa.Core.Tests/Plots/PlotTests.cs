using BigGustave;
using WeJepa.Core.Plots;

namespace WeJepa.Core.Tests.Plots;

public class PlotTests
{
    [TestCase(0.0, 10.0, new[] { 0.0, 2, 4, 6, 8, 10 })]
    [TestCase(-0.37, 10.6, new[] { 0.0, 2, 4, 6, 8, 10 })]
    [TestCase(-2.1, 2.1, new[] { -2.0, -1, 0, 1, 2 })]
    [TestCase(0.1, 0.35, new[] { 0.1, 0.15, 0.2, 0.25, 0.3, 0.35 })]
    public void TicksAreNiceAndInsideTheRange(double lo, double hi, double[] expected)
    {
        Assert.That(Ticks.For(lo, hi), Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void LabelsUseJustEnoughDigits()
    {
        Assert.That(Ticks.Labels([0, 2, 4]), Is.EqualTo(new[] { "0", "2", "4" }));
        Assert.That(Ticks.Labels([0.1, 0.15, 0.2]), Is.EqualTo(new[] { "0.10", "0.15", "0.20" }));
        Assert.That(Ticks.Labels([-0.5, 0, 0.5]), Is.EqualTo(new[] { "-0.5", "0.0", "0.5" }));
        Assert.That(Ticks.Labels([0, 2e-5, 4e-5]), Is.EqualTo(new[] { "0", "2e-5", "4e-5" }));
        Assert.That(Ticks.Labels([0, 200000, 400000]), Is.EqualTo(new[] { "0", "2e5", "4e5" }));
    }

    [Test]
    public void FontCoversThePlotCharacters()
    {
        foreach (var c in "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ .,-+()[]:/=_%θωΔ·×²")
            Assert.That(BitmapFont.Has(c), Is.True, $"'{c}'");
        Assert.That(BitmapFont.Ink('1', 2, 0), Is.True);
        Assert.That(BitmapFont.Ink('1', 0, 0), Is.False);
        Assert.That(BitmapFont.Width("ab", 2), Is.EqualTo(22));
    }

    [Test]
    public void LinesAreAntiAliasedWithFullCoverageOnTheirAxis()
    {
        var r = new Raster(40, 20, Rgb8.White);
        r.Polyline([(2.0, 10.5), (20.0, 10.5), (38.0, 10.5)], Rgb8.Black, 2.0);
        Assert.That(r[20, 10], Is.EqualTo(Rgb8.Black), "pixel centre on the axis: fully covered");
        Assert.That(r[20, 9].R, Is.InRange(100, 155), "pixel centre 1 from the axis: half covered");
        Assert.That(r[20, 11].R, Is.InRange(100, 155), "pixel centre 1 from the axis: half covered");
        Assert.That(r[20, 12], Is.EqualTo(Rgb8.White));
        Assert.That(r[20, 10], Is.EqualTo(r[2, 10]).And.EqualTo(r[37, 10]), "no darker spot where segments join");
    }

    [Test]
    public void TextInksTheGlyphPixels()
    {
        var r = new Raster(20, 20, Rgb8.White);
        r.Text(0, 0, "1", Rgb8.Black, scale: 2);
        Assert.That(r[4, 0], Is.EqualTo(Rgb8.Black));   // glyph (2, 0)
        Assert.That(r[0, 0], Is.EqualTo(Rgb8.White));
    }

    [Test]
    public void PlotDrawsEachSeriesWhereItsDataIs()
    {
        var x = Enumerable.Range(0, 101).Select(i => i / 10.0).ToArray();
        var plot = new LinePlot("test", "x", "y") { YRange = (0, 2) };
        plot.Add("low", x, x.Select(_ => 0.5).ToArray(), Rgb8.Hex("#ff0000"));
        plot.Add("high", x, x.Select(_ => 1.5).ToArray(), Rgb8.Hex("#0000ff"));
        plot.Add("middle", x, x.Select(_ => 1.0).ToArray(), Rgb8.Hex("#00ff00"));
        var image = plot.Render(400, 300);
        int Row(Rgb8 c) => Enumerable.Range(0, 300).First(y => image[200, y] == c);
        var (low, high) = (Row(Rgb8.Hex("#ff0000")), Row(Rgb8.Hex("#0000ff")));
        Assert.That(high, Is.LessThan(low), "larger y is higher in the image");
        Assert.That(Row(Rgb8.Hex("#00ff00")), Is.EqualTo((low + high) / 2.0).Within(1), "the y axis is linear");
        Assert.That(Enumerable.Range(0, 400).Count(x => image[x, (low + high) / 2 + 20] == Rgb8.Hex("#e4e4e4")), Is.GreaterThan(3), "vertical grid lines");
    }

    [Test]
    public void SavedPngDecodesToTheSamePixels()
    {
        var dir = Directory.CreateTempSubdirectory("plot-test").FullName;
        try
        {
            var plot = new LinePlot("θ(t)", "time (s)", "θ (rad)").Add("a", [0, 1, 2], [0, 1, 0]).Add("b", [0, 1, 2], [1, 0, 1]);
            var path = Path.Combine(dir, "p.png");
            plot.SavePng(path, 320, 200);
            var raster = plot.Render(320, 200);
            using var stream = File.OpenRead(path);
            var png = Png.Open(stream);
            Assert.That((png.Width, png.Height), Is.EqualTo((320, 200)));
            for (var y = 0; y < 200; y += 7)
            for (var x = 0; x < 320; x += 7)
            {
                var p = png.GetPixel(x, y);
                Assert.That(new Rgb8(p.R, p.G, p.B), Is.EqualTo(raster[x, y]), $"({x}, {y})");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void AConstantSeriesStillGetsAVisibleRange()
    {
        var plot = new LinePlot("flat", "t", "E").Add("E", [0, 1, 2], [5, 5, 5]);
        Assert.DoesNotThrow(() => plot.Render(300, 200));
        Assert.Throws<InvalidOperationException>(() => new LinePlot("empty", "x", "y").Render());
    }
}
