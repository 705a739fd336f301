namespace WeJepa.Core.Plots;

/// <summary>An 8-bit sRGB colour.</summary>
public readonly record struct Rgb8(byte R, byte G, byte B)
{
    public static readonly Rgb8 White = new(255, 255, 255), Black = new(0, 0, 0);

    /// <summary>Parses <c>#rrggbb</c>.</summary>
    public static Rgb8 Hex(string hex) => new(Convert.ToByte(hex[1..3], 16), Convert.ToByte(hex[3..5], 16), Convert.ToByte(hex[5..7], 16));

    /// <summary>Distinct series colours (blue, orange, green, red, purple, brown, pink, grey).</summary>
    public static readonly Rgb8[] Palette =
        new[] { "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f" }.Select(Hex).ToArray();
}
