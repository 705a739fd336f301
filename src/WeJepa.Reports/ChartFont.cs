using ScottPlot;
using SkiaSharp;

namespace WeJepa.Reports;

/// <summary>
/// The one font of every chart: DejaVu Sans (regular and bold), embedded in this assembly; its licence is
/// <c>Fonts/LICENSE-DejaVu.txt</c> beside the font files. SkiaSharp's no-dependency build looks for fonts only in the
/// machine's font folder and, finding none, draws text as nothing without an error; so ScottPlot gets this font
/// through a resolver under a family name no system font has, and a chart's text never depends on the machine.
/// </summary>
internal static class ChartFont
{
    public const string Family = "WeJepa DejaVu Sans";

    private static readonly SKTypeface Regular = Load("fonts/DejaVuSans.ttf"), Bold = Load("fonts/DejaVuSans-Bold.ttf");

    // Runs once, before the first use of Family: ScottPlot asks the resolvers in order, and text elements created
    // later (legend entries, colour bars) start with Fonts.Default.
    static ChartFont()
    {
        Fonts.FontResolvers.Insert(0, new Resolver());
        Fonts.Default = Family;
    }

    /// <summary>Registers the font with ScottPlot (idempotent: the static constructor runs once).</summary>
    public static void Register() => GC.KeepAlive(Regular);

    private static SKTypeface Load(string resource)
    {
        using var stream = typeof(ChartFont).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the chart font {resource} is not embedded in {typeof(ChartFont).Assembly.GetName().Name}");
        // SKData copies the bytes: the typeface must outlive the resource stream.
        return SKTypeface.FromData(SKData.Create(stream)) ?? throw new InvalidOperationException($"the chart font {resource} does not load");
    }

    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) =>
            fontName == Family ? (weight >= FontWeight.SemiBold ? Bold : Regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == Family ? (bold ? Bold : Regular) : null;
    }
}
