namespace WeJepa.Reports;

/// <summary>An 8-bit sRGB colour.</summary>
public readonly record struct Rgb8(byte R, byte G, byte B)
{
    public static readonly Rgb8 White = new(255, 255, 255), Black = new(0, 0, 0);

    /// <summary>Parses <c>#rrggbb</c>.</summary>
    public static Rgb8 Hex(string hex) => new(Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));

    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}";

    internal ScottPlot.Color ToScottPlot() => new(R, G, B);
}
