using System.Runtime.InteropServices;

namespace WeJepa.Viewer.Composition;

/// <summary>The push-constant block of compose.comp (field order and types as declared there).</summary>
[StructLayout(LayoutKind.Sequential)]
internal record struct ComposePush
{
    /// <summary>compose.comp's MODE: whole image rows, or the changed rectangles of the tiles.</summary>
    public const uint ImageRows = 0, TileRects = 1;

    public uint Width, Height, TileW, TileH, PairCols, Pairs, OriginX, OriginY, Gap, HudTop;
    public uint CellW, CellH, GlyphScale, TextCols, TextRows;
    public uint ChartX, ChartY, ChartW, ChartH, ChartHead;
    public uint PanelColor, TextColor, AccentColor, TrueColor, LearnedColor;
    public uint FirstRow;
    public uint RectW, RectH, RectWords;

    public static ComposePush Of(ViewLayout l, int chartHead, ViewColors colors) => new()
    {
        Width = (uint)l.Width, Height = (uint)l.Height, TileW = (uint)l.Tile, TileH = (uint)l.Tile,
        PairCols = (uint)l.PairCols, Pairs = (uint)l.Pairs, OriginX = (uint)l.OriginX, OriginY = (uint)l.OriginY,
        Gap = ViewLayout.Gap, HudTop = (uint)l.HudTop,
        CellW = (uint)l.CellW, CellH = (uint)l.CellH, GlyphScale = (uint)l.GlyphScale, TextCols = (uint)l.TextCols, TextRows = (uint)l.TextRows,
        ChartX = (uint)l.ChartX, ChartY = (uint)l.ChartY, ChartW = (uint)l.ChartW, ChartH = (uint)l.ChartH, ChartHead = (uint)chartHead,
        PanelColor = colors.Panel, TextColor = colors.Text, AccentColor = colors.Accent, TrueColor = colors.True, LearnedColor = colors.Learned,
    };
}

/// <summary>The viewer's colours as 0xRRGGBB.</summary>
public sealed record ViewColors
{
    public uint Panel { get; init; } = 0x20232A;
    public uint Text { get; init; } = 0xE6E6E6;
    public uint Accent { get; init; } = 0xFFD24A;
    /// <summary>The true pendulum's energy line (the scene's bob colour is used for its bob).</summary>
    public uint True { get; init; } = 0xF27326;
    /// <summary>The learned pendulum's bob and energy line.</summary>
    public uint Learned { get; init; } = 0x33BFF2;

    public static (double R, double G, double B) Rgb(uint c) => (((c >> 16) & 255) / 255.0, ((c >> 8) & 255) / 255.0, (c & 255) / 255.0);
}
