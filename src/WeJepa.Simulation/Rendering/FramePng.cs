using BigGustave;

namespace WeJepa.Simulation.Rendering;

/// <summary>PNG in and out for uint8 planar frames (3, H, W): previews, contact sheets and golden images.</summary>
public static class FramePng
{
    /// <summary>
    /// Tiles frames (N, 3, H, W) into a grid of <paramref name="columns"/> columns separated by a
    /// 1-pixel border, as one interleaved RGB image; returns its size.
    /// </summary>
    public static (byte[] Rgb, int Width, int Height) ContactSheet(ReadOnlySpan<byte> frames, int count, int height, int width, int columns)
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

    /// <summary>Writes one planar frame (3, H, W) as a PNG, optionally enlarged by nearest neighbour.</summary>
    public static void SaveFrame(string path, ReadOnlySpan<byte> frame, int height, int width, int zoom = 1)
    {
        var (rgb, w, h) = ContactSheet(frame, 1, height, width, 1);
        SaveRgb(path, rgb, w, h, zoom);
    }

    /// <summary>Writes an interleaved RGB image (H, W, 3) as a PNG file, enlarged by <paramref name="zoom"/>.</summary>
    public static void SaveRgb(string path, ReadOnlySpan<byte> rgb, int width, int height, int zoom = 1)
    {
        using var stream = File.Create(path);
        WriteRgb(stream, rgb, width, height, zoom);
    }

    /// <summary>Writes an interleaved RGB image (H, W, 3) as PNG bytes, enlarged by nearest neighbour.</summary>
    public static void WriteRgb(Stream stream, ReadOnlySpan<byte> rgb, int width, int height, int zoom = 1)
    {
        var builder = PngBuilder.Create(width * zoom, height * zoom, false);
        for (int y = 0; y < height * zoom; y++)
        for (int x = 0; x < width * zoom; x++)
        {
            int i = ((y / zoom) * width + x / zoom) * 3;
            builder.SetPixel(rgb[i], rgb[i + 1], rgb[i + 2], x, y);
        }
        builder.Save(stream);
    }

    /// <summary>Reads a PNG as interleaved RGB (H, W, 3).</summary>
    public static (byte[] Rgb, int Width, int Height) LoadRgb(string path)
    {
        using var stream = File.OpenRead(path);
        var png = Png.Open(stream);
        var rgb = new byte[png.Width * png.Height * 3];
        for (int y = 0; y < png.Height; y++)
        for (int x = 0; x < png.Width; x++)
        {
            var px = png.GetPixel(x, y);
            int i = (y * png.Width + x) * 3;
            (rgb[i], rgb[i + 1], rgb[i + 2]) = (px.R, px.G, px.B);
        }
        return (rgb, png.Width, png.Height);
    }
}
