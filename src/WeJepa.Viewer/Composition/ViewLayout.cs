namespace WeJepa.Viewer.Composition;

/// <summary>
/// Where everything sits in the window image (pixels, y down): K pairs of square tiles (true | learned)
/// in a grid above a HUD panel whose left part holds text and whose right part the energy strip chart.
/// compose.comp reads these numbers from its push constants; tests use them to find the bobs.
/// </summary>
public sealed record ViewLayout
{
    public const int Gap = 4;
    /// <summary>Text lines in the HUD panel.</summary>
    public const int HudLines = 5;

    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Pairs { get; init; }
    public required int PairCols { get; init; }
    public required int PairRows { get; init; }
    /// <summary>Side of one square tile in pixels (a multiple of 4: render.comp writes 4 pixels per word).</summary>
    public required int Tile { get; init; }
    public required int OriginX { get; init; }
    public required int OriginY { get; init; }
    public required int HudTop { get; init; }
    public required int GlyphScale { get; init; }
    public int CellW => BitmapFont.Advance * GlyphScale;
    public int CellH => BitmapFont.LineHeight * GlyphScale;
    public int TextCols => Width / CellW;
    public int TextRows => Math.Min(Height / CellH, TextGrid.MaxRows);
    /// <summary>Words per row of the composed image: the width rounded up to 4 (compose.comp writes quads).</summary>
    public int Stride => (Width + 3) / 4 * 4;
    /// <summary>First text row of the HUD panel.</summary>
    public int HudRow => HudTop / CellH;
    public required int ChartX { get; init; }
    public required int ChartY { get; init; }
    public required int ChartW { get; init; }
    public required int ChartH { get; init; }

    /// <summary>The window size that shows <paramref name="pairs"/> pairs of <paramref name="tile"/>-pixel tiles (2 × 512 for the benchmark).</summary>
    public static (int Width, int Height) WindowFor(int pairs, int tile)
    {
        var cols = (int)Math.Ceiling(Math.Sqrt(pairs / 2.0));
        var rows = (pairs + cols - 1) / cols;
        var width = cols * (2 * tile + 2 * Gap) + Gap;
        var scale = Scale(width);
        var cellH = BitmapFont.LineHeight * scale;
        var grid = rows * (tile + Gap) + Gap;
        return (width, (grid + cellH - 1) / cellH * cellH + HudHeight(scale));   // For rounds the HUD's top down to a text row
    }

    /// <summary>The layout of a <paramref name="width"/>×<paramref name="height"/> image: the largest tiles that fit.</summary>
    public static ViewLayout For(int width, int height, int pairs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        var scale = Scale(width);
        var cellH = BitmapFont.LineHeight * scale;
        var hudTop = Math.Max(0, (height - HudHeight(scale)) / cellH * cellH);
        var (bestCols, bestTile) = (1, 0);
        for (var cols = 1; cols <= pairs; cols++)
        {
            var rows = (pairs + cols - 1) / cols;
            var byWidth = ((width - Gap) / cols - 2 * Gap) / 2;
            var byHeight = (hudTop - Gap) / rows - Gap;
            var tile = Math.Min(byWidth, byHeight) / 4 * 4;
            if (tile > bestTile) (bestCols, bestTile) = (cols, tile);
        }
        var tileSide = Math.Max(4, bestTile);
        var pairRows = (pairs + bestCols - 1) / bestCols;
        var gridW = bestCols * (2 * tileSide + 2 * Gap) - Gap;
        var gridH = pairRows * (tileSide + Gap) - Gap;
        var chartX = width / 2;
        return new ViewLayout
        {
            Width = width, Height = height, Pairs = pairs, PairCols = bestCols, PairRows = pairRows, Tile = tileSide,
            // OriginX a multiple of 4: compose.comp's quads of 4 pixels then stay inside one tile.
            OriginX = Math.Max(0, (width - gridW) / 2) / 4 * 4, OriginY = Math.Max(0, (hudTop - gridH) / 2),
            HudTop = hudTop, GlyphScale = scale,
            ChartX = chartX, ChartY = Math.Min(height - 1, hudTop + Gap),
            ChartW = Math.Max(1, width - chartX - Gap), ChartH = Math.Max(2, height - hudTop - 2 * Gap),
        };
    }

    /// <summary>Top-left pixel of a tile: <paramref name="learned"/> false for the true pendulum of the pair.</summary>
    public (int X, int Y) TileOrigin(int pair, bool learned)
    {
        int col = pair % PairCols, row = pair / PairCols;
        return (OriginX + col * (2 * Tile + 2 * Gap) + (learned ? Tile + Gap : 0), OriginY + row * (Tile + Gap));
    }

    /// <summary>The pair whose true tile contains pixel (x, y), or -1.</summary>
    public int TrueTileAt(double x, double y)
    {
        for (var pair = 0; pair < Pairs; pair++)
        {
            var (tx, ty) = TileOrigin(pair, learned: false);
            if (x >= tx && x < tx + Tile && y >= ty && y < ty + Tile) return pair;
        }
        return -1;
    }

    /// <summary>
    /// The pivot of a tile in window pixels (x right, y down): where a camera of <paramref name="scale"/>
    /// world units across, centred on (<paramref name="centerX"/>, <paramref name="centerY"/>), puts the world origin (world y is up).
    /// </summary>
    public (double X, double Y) PivotPixel(int pair, bool learned, float scale, float centerX, float centerY)
    {
        var (tx, ty) = TileOrigin(pair, learned);
        var perWorld = Tile / (double)scale;
        return (tx + 0.5 * Tile - centerX * perWorld, ty + 0.5 * Tile + centerY * perWorld);
    }

    /// <summary>The angle from the downward vertical (counter-clockwise positive) of window pixel (x, y) seen from a tile's pivot.</summary>
    public double AngleAt(int pair, bool learned, float scale, float centerX, float centerY, double x, double y)
    {
        var (px, py) = PivotPixel(pair, learned, scale, centerX, centerY);
        return Math.Atan2(x - px, y - py);   // world (dx, dy) = (x − px, −(y − py)); θ = atan2(dx, −dy)
    }

    /// <summary>Glyphs at 2× on windows at least 800 pixels wide, else 1×.</summary>
    private static int Scale(int width) => width >= 800 ? 2 : 1;

    private static int HudHeight(int scale) => (HudLines * BitmapFont.LineHeight + 2) * scale;
}
