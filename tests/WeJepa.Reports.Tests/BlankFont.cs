using System.Buffers.Binary;
using ScottPlot;
using SkiaSharp;

namespace WeJepa.Reports.Tests;

/// <summary>
/// DejaVu Sans with its outlines erased (the 'glyf' table zeroed): every character keeps its advance, so ScottPlot
/// lays text out as usual, but nothing is drawn, exactly as when SkiaSharp finds no font on the machine.
/// </summary>
internal static class BlankFont
{
    // A field, not a const: reading it runs the static constructor that registers the resolver.
    public static readonly string Family = "Blank Test Font";

    private static readonly SKTypeface Typeface = Create();

    static BlankFont() => Fonts.FontResolvers.Insert(0, new Resolver());

    private static SKTypeface Create()
    {
        using var stream = typeof(Chart).Assembly.GetManifestResourceStream("fonts/DejaVuSans.ttf")!;
        var ttf = new byte[stream.Length];
        stream.ReadExactly(ttf);
        // Table directory: numTables at offset 4, then 16-byte records (tag, checksum, offset, length) from offset 12.
        int tables = BinaryPrimitives.ReadUInt16BigEndian(ttf.AsSpan(4));
        for (var i = 0; i < tables; i++)
        {
            var record = ttf.AsSpan(12 + 16 * i, 16);
            if (System.Text.Encoding.ASCII.GetString(record[..4]) != "glyf") continue;
            ttf.AsSpan(BinaryPrimitives.ReadInt32BigEndian(record[8..]), BinaryPrimitives.ReadInt32BigEndian(record[12..])).Clear();
            return SKTypeface.FromData(SKData.CreateCopy(ttf)) ?? throw new InvalidOperationException("blank font did not load");
        }
        throw new InvalidOperationException("DejaVu Sans has no glyf table");
    }

    private sealed class Resolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => fontName == Family ? Typeface : null;
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => fontName == Family ? Typeface : null;
    }
}
