using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>An array read from an NPY file: little-endian C-order data with its NumPy dtype string.</summary>
public sealed record NpyArray(string Dtype, int[] Shape, Array Data)
{
    public long Length => Data.LongLength;
    public float[] AsFloat32() => Data as float[] ?? throw new UserError($"expected dtype <f4, got {Dtype}");
    public double[] AsFloat64() => Data as double[] ?? throw new UserError($"expected dtype <f8, got {Dtype}");
    public byte[] AsUInt8() => Data as byte[] ?? throw new UserError($"expected dtype |u1, got {Dtype}");
}

/// <summary>
/// NumPy's <c>.npy</c> format, version 1.0 (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
/// magic <c>\x93NUMPY</c>, version bytes 1 0, a little-endian uint16 header length, then an ASCII
/// Python-dict header padded with spaces and a final newline so the data starts at a multiple of 64
/// bytes, then the raw C-order data. Dtypes: float32 (&lt;f4), float64 (&lt;f8), uint8 (|u1).
/// Files are written atomically (<see cref="AtomicFile"/>).
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public static void Write(string path, ReadOnlySpan<float> data, params int[] shape) => Write(path, "<f4", MemoryMarshal.AsBytes(data), data.Length, shape);
    public static void Write(string path, ReadOnlySpan<double> data, params int[] shape) => Write(path, "<f8", MemoryMarshal.AsBytes(data), data.Length, shape);
    public static void Write(string path, ReadOnlySpan<byte> data, params int[] shape) => Write(path, "|u1", data, data.Length, shape);

    /// <summary>Fills <paramref name="chunk"/> with the float32 values at flat indices <paramref name="start"/>…</summary>
    public delegate void FillFloats(long start, Span<float> chunk);

    /// <summary>
    /// Writes a float32 array of <paramref name="shape"/> whose values <paramref name="fill"/> produces chunk by
    /// chunk, so a large array never needs a float32 copy in memory.
    /// </summary>
    public static void WriteFloat32(string path, int[] shape, FillFloats fill)
    {
        if (shape.Any(d => d < 0)) throw new ArgumentException($"negative dimension in shape ({string.Join(", ", shape)})");
        long count = shape.Aggregate(1L, (a, d) => a * d);
        var header = Header("<f4", shape);
        AtomicFile.Write(path, stream =>
        {
            stream.Write(header);
            var chunk = new float[Math.Min(count, 1 << 16)];
            for (long start = 0; start < count; start += chunk.Length)
            {
                var part = chunk.AsSpan(0, (int)Math.Min(chunk.Length, count - start));
                fill(start, part);
                stream.Write(MemoryMarshal.AsBytes(part));
            }
        }, bufferSize: 1 << 20);
    }

    private static void Write(string path, string dtype, ReadOnlySpan<byte> bytes, int count, int[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NPY writer assumes a little-endian host");
        if (shape.Any(d => d < 0) || shape.Aggregate(1L, (a, d) => a * d) != count)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} elements");
        var header = Header(dtype, shape);
        var file = new byte[header.Length + bytes.Length];
        header.CopyTo(file, 0);
        bytes.CopyTo(file.AsSpan(header.Length));
        AtomicFile.Write(path, s => s.Write(file), bufferSize: 1 << 20);
    }

    /// <summary>Magic, version, length and the padded dict header (a multiple of 64 bytes in all).</summary>
    public static byte[] Header(string dtype, int[] shape)
    {
        var dims = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = $"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {dims}, }}";
        const int prefix = 10; // magic (6) + version (2) + header length (2)
        var total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var text = dict.PadRight(total - prefix - 1) + "\n";
        var header = new byte[total];
        Magic.CopyTo(header, 0);
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)text.Length);
        Encoding.ASCII.GetBytes(text, header.AsSpan(prefix));
        return header;
    }

    /// <summary>Reads an NPY file (versions 1.0–3.0, dtypes &lt;f4, &lt;f8, |u1, C order).</summary>
    public static NpyArray Read(string path)
    {
        var bytes = BoundedFile.ReadAllBytes(path, Array.MaxLength, "NPY file");
        UserError Bad(string why) => new($"{path}: not a readable NPY file: {why}");
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw Bad("missing the \\x93NUMPY magic");
        var (headerLen, start) = bytes[6] switch
        {
            1 => (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10),
            2 or 3 when bytes.Length >= 12 => ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12),
            _ => throw Bad($"unsupported version {bytes[6]}.{bytes[7]}"),
        };
        if (start + headerLen > bytes.Length) throw Bad("header runs past the end of the file");
        var dict = Encoding.Latin1.GetString(bytes, start, headerLen);
        var m = HeaderPattern().Match(dict);
        if (!m.Success) throw Bad($"cannot parse the header {dict.Trim()}");
        if (m.Groups["fortran"].Value == "True") throw Bad("Fortran-order arrays are not supported");
        var dtype = m.Groups["descr"].Value;
        var dims = m.Groups["shape"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (!int.TryParse(dims[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]))
                throw Bad($"shape dimension {dims[i]} is not an integer in 0..{int.MaxValue}");
            count = count > (long)Array.MaxLength / Math.Max(shape[i], 1) ? throw Bad($"shape ({string.Join(", ", dims)}) is too large") : count * shape[i];
        }
        var data = bytes.AsSpan(start + headerLen);
        var itemSize = dtype switch { "<f4" => 4, "<f8" => 8, "|u1" or "<u1" => 1, _ => throw Bad($"unsupported dtype '{dtype}'") };
        if (data.Length != count * itemSize) throw Bad($"shape ({string.Join(", ", shape)}) of {dtype} needs {count * itemSize} data bytes, found {data.Length}");
        Array values = itemSize switch
        {
            4 => MemoryMarshal.Cast<byte, float>(data).ToArray(),
            8 => MemoryMarshal.Cast<byte, double>(data).ToArray(),
            _ => data.ToArray(),
        };
        return new NpyArray(dtype == "<u1" ? "|u1" : dtype, shape, values);
    }

    [GeneratedRegex(@"^\{\s*'descr':\s*'(?<descr>[^']+)',\s*'fortran_order':\s*(?<fortran>True|False),\s*'shape':\s*\((?<shape>[0-9,\s]*)\),?\s*\}\s*$")]
    private static partial Regex HeaderPattern();
}
