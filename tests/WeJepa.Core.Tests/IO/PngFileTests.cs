using WeJepa.TestSupport;
using System.Buffers.Binary;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Core.Tests.IO;

public class PngFileTests : TempFolderTest
{
    private static byte[] Noise(int width, int height, int seed)
    {
        var rgb = new byte[width * height * 3];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    [Test]
    public void SavedPixelsLoadBackExactly()
    {
        var rgb = Noise(37, 23, 1);
        var path = Path.Combine(Dir, "a.png");
        PngFile.Save(path, rgb, 37, 23);
        var (back, w, h) = PngFile.Load(path);
        Assert.That((w, h), Is.EqualTo((37, 23)));
        Assert.That(back, Is.EqualTo(rgb));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.EqualTo(new[] { path }), "no temporary file left");
    }

    [Test]
    public void FilesAreEightBitRgbWhateverTheContent()
    {
        // A grey image must not come out as a grey or palette PNG: IHDR says 8-bit truecolour (colour type 2).
        var path = Path.Combine(Dir, "grey.png");
        PngFile.Save(path, Enumerable.Repeat((byte)128, 8 * 4 * 3).ToArray(), 8, 4);
        var bytes = File.ReadAllBytes(path);
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }));
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"));
        Assert.That((BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))), Is.EqualTo((8, 4)));
        Assert.That((bytes[24], bytes[25]), Is.EqualTo(((byte)8, (byte)2)), "bit depth 8, colour type RGB");
    }

    [Test]
    public void ZoomRepeatsEachPixelAsABlock()
    {
        var rgb = Noise(5, 3, 2);
        using var stream = new MemoryStream();
        PngFile.Write(stream, rgb, 5, 3, zoom: 3);
        var path = Path.Combine(Dir, "zoom.png");
        File.WriteAllBytes(path, stream.ToArray());
        var (big, w, h) = PngFile.Load(path);
        Assert.That((w, h), Is.EqualTo((15, 9)));
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        for (var c = 0; c < 3; c++)
            Assert.That(big[(y * w + x) * 3 + c], Is.EqualTo(rgb[(y / 3 * 5 + x / 3) * 3 + c]), $"({x}, {y})");
    }

    [Test]
    public void WrongSizesAndBrokenFilesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => PngFile.Write(Stream.Null, new byte[10], 2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => PngFile.Write(Stream.Null, [], 0, 2));
        var bad = Path.Combine(Dir, "bad.png");
        File.WriteAllText(bad, "not a png");
        var e = Assert.Throws<UserError>(() => PngFile.Load(bad))!;
        Assert.That(e.Message, Does.StartWith($"{bad}: cannot read the PNG"));
        Assert.Throws<UserError>(() => PngFile.Load(Path.Combine(Dir, "missing.png")));

        // A valid PNG header claiming 100000 × 100000 pixels is refused before any pixel memory is taken.
        var huge = Path.Combine(Dir, "huge.png");
        using (var stream = new MemoryStream())
        {
            PngFile.Write(stream, new byte[3], 1, 1);
            var bytes = stream.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 100_000);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 100_000);
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32(bytes.AsSpan(12, 17)));
            File.WriteAllBytes(huge, bytes);
        }
        Assert.That(Assert.Throws<UserError>(() => PngFile.Load(huge))!.Message, Does.Contain("100000×100000 pixels is more than"));
    }

    /// <summary>PNG's chunk checksum (CRC-32, polynomial 0xEDB88320) over the chunk type and data.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
