namespace WeJepa.Simulation.Rendering;

/// <summary>Tiles uint8 planar frames (N, 3, H, W) into one interleaved RGB image (for <see cref="Core.IO.PngFile"/>).</summary>
public static class ContactSheet
{
    /// <summary>
    /// Tiles frames (N, 3, H, W) into a grid of <paramref name="columns"/> columns separated by a
    /// 1-pixel white border, as one interleaved RGB image (H', W', 3); returns it with its size.
    /// </summary>
    public static (byte[] Rgb, int Width, int Height) Tile(ReadOnlySpan<byte> frames, int count, int height, int width, int columns)
    {
        int rows = (count + columns - 1) / columns;
        int sheetW = columns * (width + 1) + 1, sheetH = rows * (height + 1) + 1, plane = height * width;
        var rgb = new byte[sheetW * sheetH * 3];
        rgb.AsSpan().Fill(255);
        for (int n = 0; n < count; n++)
        {
            int ox = 1 + (n % columns) * (width + 1), oy = 1 + (n / columns) * (height + 1);
            var frame = frames.Slice(n * 3 * plane, 3 * plane);
            for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            for (int c = 0; c < 3; c++)
                rgb[((oy + y) * sheetW + ox + x) * 3 + c] = frame[c * plane + y * width + x];
        }
        return (rgb, sheetW, sheetH);
    }
}
