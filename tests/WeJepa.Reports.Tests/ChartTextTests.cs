using WeJepa.Core.IO;

namespace WeJepa.Reports.Tests;

/// <summary>
/// Text must show: without a usable font SkiaSharp draws nothing and reports nothing, so these tests count ink
/// (pixels clearly off the background) where ScottPlot says it drew the title and the axis labels, in the PNG
/// as written and read back, and prove the count catches text that is missing.
/// </summary>
public class ChartTextTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("chart-text").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static readonly double[] X = [0, 1, 2, 3], Y = [0, 1, 0, 1];

    private static IEnumerable<TestCaseData> Charts()
    {
        yield return new TestCaseData(new Chart("θ(t) of 4 environments", "time (s)", "θ (rad)").Line("a", X, Y).Line("b", X, [1, 0, 1, 0])).SetName("Text(lines)");
        yield return new TestCaseData(new Chart("JEPA loss", "step", "loss") { LogY = true }.Line("train", X, [1, 0.1, 0.01, 0.001])).SetName("Text(log y)");
        var h = Field.Sample((-2, 2), (-2, 2), 21, 21, (q, p) => q * q + p * p);
        yield return new TestCaseData(new Chart("Phase portrait", "q (rad)", "p (kg·m²/s)").Heatmap("H (J)", h).Contours("true H", h, h.Levels(4))).SetName("Text(heatmap)");
    }

    [TestCaseSource(nameof(Charts))]
    public void TitleAndAxisLabelsLeaveInkInTheirBandsOfTheWrittenPng(Chart chart)
    {
        var image = chart.Render(640, 400);
        var (data, text) = (image.DataArea, image.Text);
        Assert.That(text.Select(t => t.Role), Is.EqualTo(new[] { "title", "x-axis label", "y-axis label" }));
        Assert.That(text[0].Box.Bottom, Is.LessThanOrEqualTo(data.Top), "the title is above the data");
        Assert.That(text[1].Box.Top, Is.GreaterThanOrEqualTo(data.Bottom), "the x label is below the data");
        Assert.That(text[2].Box.Right, Is.LessThanOrEqualTo(data.Left), "the y label is left of the data");
        Assert.That(text[2].Box.Height, Is.GreaterThan(text[2].Box.Width), "the y label runs upwards");

        var path = Path.Combine(_dir, "c.png");
        chart.SavePng(path, 640, 400);
        var (rgb, w, h) = PngFile.Load(path);
        Assert.That((w, h), Is.EqualTo((640, 400)));
        Assert.That(rgb, Is.EqualTo(image.Rgb), "rendering is deterministic and the PNG holds exactly the rendered pixels");
        foreach (var t in text)
        {
            var ink = ChartImage.Ink(rgb, w, h, Rgb8.White, t.Box);
            var glyphs = t.Text.Count(c => !char.IsWhiteSpace(c));
            Assert.That(ink, Is.GreaterThan(15 * glyphs), $"{t.Role} '{t.Text}' in {t.Box}");
            Assert.That(ink, Is.LessThan(t.Box.Width * t.Box.Height * 0.6), $"{t.Role}: ink is glyphs, not a filled box");
        }
        Assert.That(image.MissingText(), Is.Empty);
    }

    [Test]
    public void AnEmptyTitleLeavesNoInkSoTheCheckWouldFail()
    {
        var with = new Chart("Energy", "time (s)", "energy (J)").Line("E", X, Y).Render(640, 400);
        var without = new Chart("", "time (s)", "energy (J)").Line("E", X, Y).Render(640, 400);
        Assert.That(with.Ink(with.Text[0].Box), Is.GreaterThan(100));
        // The band where the title was (above the data, across the figure) is blank without it.
        Assert.That(without.Ink(new PixelBox(0, 0, without.Width, without.DataArea.Top - 2)), Is.Zero);
        Assert.That(without.Ink(without.Text[0].Box), Is.Zero);
    }

    [Test]
    public void TextThatDidNotRenderIsCaughtAndNothingIsWritten()
    {
        // Text drawn in the background colour leaves exactly the trace a missing font leaves: none.
        var invisible = ChartStyle.Default with { Text = ChartStyle.Default.Background };
        var chart = new Chart("Energy", "time (s)", "energy (J)") { Style = invisible }.Line("E", X, Y);
        Assert.That(chart.Render(640, 400).MissingText().Select(t => t.Role), Is.EqualTo(new[] { "title", "x-axis label", "y-axis label" }));
        var path = Path.Combine(_dir, "blank.png");
        var e = Assert.Throws<InvalidOperationException>(() => chart.SavePng(path, 640, 400))!;
        Assert.That(e.Message, Is.EqualTo("chart 'Energy': the title and the x-axis label and the y-axis label did not render (no ink where ScottPlot drew it): the chart font is not working"));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty);
    }

    [Test]
    public void AFontThatDrawsNothingIsCaught()
    {
        // What a machine without fonts gives SkiaSharp: text is laid out but no glyph leaves ink.
        var chart = new Chart("Energy", "time (s)", "energy (J)") { Style = ChartStyle.Default with { Font = BlankFont.Family } }.Line("E", X, Y);
        var image = chart.Render(640, 400);
        Assert.That(image.MissingText().Select(t => t.Role), Is.EqualTo(new[] { "title", "x-axis label", "y-axis label" }));
        Assert.That(image.Ink(new PixelBox(0, 0, image.Width, image.DataArea.Top - 2)), Is.Zero, "nothing above the data");
        Assert.Throws<InvalidOperationException>(() => chart.SavePng(Path.Combine(_dir, "blank.png"), 640, 400));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty);
    }

    [Test]
    public void SymbolsOfThePhysicsRenderFromTheEmbeddedFont()
    {
        // θ ω Δ · ² are in DejaVu Sans: each renders as ink, not as an empty box or nothing.
        foreach (var symbol in new[] { "θ", "ω", "Δ", "²", "·" })
        {
            var image = new Chart(symbol, "x", "y").Line("", X, Y).Render(300, 200);
            Assert.That(image.Ink(image.Text[0].Box), Is.GreaterThan(4), symbol);
        }
    }
}
