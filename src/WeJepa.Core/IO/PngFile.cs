using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>
/// The project's one PNG codec (ImageSharp): 8-bit RGB images as interleaved bytes (H, W, 3), row by row.
/// Frames, contact sheets, charts and golden test images all go through here.
/// </summary>
public static class PngFile
{
    // Always 8-bit RGB, never palette or grey: a file's layout does not depend on its content.
    private static readonly PngEncoder Encoder = new() { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 };

    /// <summary>Encodes an RGB image (H, W, 3), enlarged <paramref name="zoom"/> times by nearest neighbour.</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> rgb, int width, int height, int zoom = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(zoom, 1);
        if (rgb.Length != (long)width * height * 3)
            throw new ArgumentException($"{rgb.Length} bytes for a {width}×{height} RGB image (want {(long)width * height * 3})");
        using var image = Image.LoadPixelData<Rgb24>(rgb, width, height);
        if (zoom > 1) image.Mutate(x => x.Resize(width * zoom, height * zoom, KnownResamplers.NearestNeighbor));
        image.SaveAsPng(stream, Encoder);
    }

    /// <summary>Writes an RGB image (H, W, 3) to <paramref name="path"/> atomically (see <see cref="AtomicFile"/>).</summary>
    public static void Save(string path, byte[] rgb, int width, int height, int zoom = 1) =>
        AtomicFile.Write(path, stream => Write(stream, rgb, width, height, zoom));

    /// <summary>The largest image <see cref="Load"/> decodes (a header can claim any size; this bounds the memory).</summary>
    public const long MaxPixels = 1L << 26;

    /// <summary>Decodes a PNG (any colour type or bit depth) as 8-bit RGB (H, W, 3); alpha is dropped.</summary>
    public static (byte[] Rgb, int Width, int Height) Load(string path)
    {
        try
        {
            var header = Image.Identify(path) ?? throw new UserError($"{path}: cannot read the PNG: not an image");
            if ((long)header.Width * header.Height > MaxPixels)
                throw new UserError($"{path}: cannot read the PNG: {header.Width}×{header.Height} pixels is more than the {MaxPixels} this reader accepts");
            using var image = Image.Load<Rgb24>(path);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            return (rgb, image.Width, image.Height);
        }
        catch (Exception e) when (e is ImageFormatException or IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot read the PNG: {e.Message}");
        }
    }
}
