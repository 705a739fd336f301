namespace WeJepa.Viewer.Composition;

/// <summary>
/// The characters over the window image, one byte per text cell (ASCII, | 0x80 for the accent colour),
/// as compose.comp's binding 1 reads them: a bit per row that holds any text (<see cref="FlagBytes"/>,
/// so the shader skips empty rows whole), then the cells packed 4 per word. Rebuilt by the host each frame: a few
/// kilobytes, the only per-frame upload besides the chart.
/// </summary>
public sealed class TextGrid(int cols, int rows)
{
    /// <summary>Bytes of row flags before the cells: 256 rows (compose.comp's TEXT_CELLS words).</summary>
    public const int FlagBytes = 32;
    public const int MaxRows = 8 * FlagBytes;

    private readonly byte[] cells = new byte[FlagBytes + (Math.Min(cols * rows, cols * MaxRows) + 3) / 4 * 4];

    public int Cols { get; } = cols;
    public int Rows { get; } = rows;

    public void Clear() => Array.Clear(cells);

    /// <summary>Writes <paramref name="text"/> from cell (row, col), clipped at the right edge; characters without a glyph show blank.</summary>
    public void Put(int row, int col, string text, bool accent = false)
    {
        if (row < 0 || row >= Math.Min(Rows, MaxRows)) return;
        for (var i = 0; i < text.Length; i++)
        {
            var c = col + i;
            if (c < 0) continue;
            if (c >= Cols) break;
            var ch = char.ToUpperInvariant(text[i]);
            var code = ch < 128 && BitmapFont.Has(ch) ? (byte)ch : (byte)' ';
            cells[FlagBytes + row * Cols + c] = (byte)(code | (accent ? 0x80 : 0));
            if (code != ' ') cells[row / 8] |= (byte)(1 << (row % 8));
        }
    }

    /// <summary>The character at a cell (upper case; ' ' when empty).</summary>
    public char At(int row, int col) => (char)Math.Max(cells[FlagBytes + row * Cols + col] & 0x7F, ' ');

    public ReadOnlySpan<byte> Bytes => cells;
}
