using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>Element types we read and write (safetensors names).</summary>
public enum SafetensorsDType { F32, F64, I64, I32, U8, BOOL }

/// <summary>One named array of a safetensors file: dtype, shape and little-endian bytes.</summary>
public sealed class SafetensorsTensor
{
    public SafetensorsDType DType { get; }
    public long[] Shape { get; }
    public byte[] Data { get; }

    public SafetensorsTensor(SafetensorsDType dtype, long[] shape, byte[] data)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"negative dimension in shape [{string.Join(", ", shape)}]");
            count *= d;
        }
        if (count * Safetensors.SizeOf(dtype) != data.Length)
            throw new ArgumentException($"{dtype} shape [{string.Join(", ", shape)}] needs {count * Safetensors.SizeOf(dtype)} bytes, got {data.Length}");
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    public static SafetensorsTensor FromFloat32(float[] values, params long[] shape) => new(SafetensorsDType.F32, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    public static SafetensorsTensor FromFloat64(double[] values, params long[] shape) => new(SafetensorsDType.F64, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    public static SafetensorsTensor FromInt64(long[] values, params long[] shape) => new(SafetensorsDType.I64, shape, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>The values as float32 (F32 as is; F64 narrowed).</summary>
    public float[] ToFloat32() => DType switch
    {
        SafetensorsDType.F32 => MemoryMarshal.Cast<byte, float>(Data).ToArray(),
        SafetensorsDType.F64 => MemoryMarshal.Cast<byte, double>(Data).ToArray().Select(v => (float)v).ToArray(),
        _ => throw new InvalidOperationException($"cannot read {DType} as float32"),
    };

    /// <summary>The values as float64 (F64 as is; F32 widened).</summary>
    public double[] ToFloat64() => DType switch
    {
        SafetensorsDType.F64 => MemoryMarshal.Cast<byte, double>(Data).ToArray(),
        SafetensorsDType.F32 => MemoryMarshal.Cast<byte, float>(Data).ToArray().Select(v => (double)v).ToArray(),
        _ => throw new InvalidOperationException($"cannot read {DType} as float64"),
    };

    public long[] ToInt64() => DType switch
    {
        SafetensorsDType.I64 => MemoryMarshal.Cast<byte, long>(Data).ToArray(),
        SafetensorsDType.I32 => MemoryMarshal.Cast<byte, int>(Data).ToArray().Select(v => (long)v).ToArray(),
        SafetensorsDType.U8 or SafetensorsDType.BOOL => Data.Select(v => (long)v).ToArray(),   // masks: 0 / 1
        _ => throw new InvalidOperationException($"cannot read {DType} as int64"),
    };

    /// <summary>The shape as int dims (for tensor APIs).</summary>
    public int[] ShapeAsInt() => Shape.Select(d => checked((int)d)).ToArray();
}

/// <summary>A whole file: tensors in file order and the optional <c>__metadata__</c> strings.</summary>
public sealed record SafetensorsFile(IReadOnlyDictionary<string, SafetensorsTensor> Tensors, IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>The named tensor, or a UserError naming the file and the missing name.</summary>
    public SafetensorsTensor Get(string path, string name) => Tensors.TryGetValue(name, out var t)
        ? t
        : throw new UserError($"{path}: no tensor named '{name}' (has: {string.Join(", ", Tensors.Keys)})");
}

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// <c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>,
/// then the raw little-endian data. Reading validates everything before trusting it; writing goes to a
/// temporary file in the same folder and is renamed into place.
/// </summary>
public static class Safetensors
{
    /// <summary>Headers larger than this are rejected (the reference implementation's bound).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public static int SizeOf(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 or SafetensorsDType.I32 => 4,
        SafetensorsDType.U8 or SafetensorsDType.BOOL => 1,
        _ => 8,
    };

    /// <summary>
    /// Reads and validates the file at <paramref name="path"/>; <paramref name="what"/> names its role in
    /// messages ("weights file"). Folders, FIFOs, device nodes and files over 2 GiB are refused before reading.
    /// </summary>
    public static SafetensorsFile Read(string path, string what = "safetensors file") =>
        Parse(BoundedFile.ReadAllBytes(path, Array.MaxLength, what), path);

    /// <summary>Parses a complete file image; <paramref name="path"/> only names it in errors.</summary>
    public static SafetensorsFile Parse(byte[] bytes, string path)
    {
        UserError Bad(string what) => new($"{path}: invalid safetensors file: {what}");
        if (bytes.Length < 8) throw Bad($"truncated: {bytes.Length} bytes, the 8-byte header length is missing");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes) throw Bad($"header of {headerLength} bytes exceeds the {MaxHeaderBytes}-byte limit");
        if (8 + (long)headerLength > bytes.Length) throw Bad($"truncated: header claims {headerLength} bytes but the file has {bytes.Length - 8} after the length");
        long dataStart = 8 + (long)headerLength;
        long dataLength = bytes.Length - dataStart;

        if (!System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(8, (int)headerLength))) throw Bad("the header is not UTF-8 text");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength)); }
        catch (JsonException e) { throw Bad($"header is not valid JSON ({e.Message})"); }
        using var _ = doc;
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Bad("header JSON is not an object");

        var tensors = new Dictionary<string, SafetensorsTensor>();
        var metadata = new Dictionary<string, string>();
        var ranges = new List<(long begin, long end, string name)>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__")
            {
                if (entry.Value.ValueKind != JsonValueKind.Object) throw Bad("__metadata__ is not an object");
                foreach (var m in entry.Value.EnumerateObject())
                    metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : throw Bad($"__metadata__.{m.Name} is not a string");
                continue;
            }
            string name = entry.Name;
            var e = entry.Value;
            if (e.ValueKind != JsonValueKind.Object) throw Bad($"tensor '{name}': entry is not an object");
            if (!e.TryGetProperty("dtype", out var dtypeJson) || dtypeJson.ValueKind != JsonValueKind.String) throw Bad($"tensor '{name}': missing dtype");
            var dtype = dtypeJson.GetString() switch
            {
                "F32" => SafetensorsDType.F32,
                "F64" => SafetensorsDType.F64,
                "I64" => SafetensorsDType.I64,
                "I32" => SafetensorsDType.I32,
                "U8" => SafetensorsDType.U8,
                "BOOL" => SafetensorsDType.BOOL,
                var other => throw Bad($"tensor '{name}': unsupported dtype '{other}' (F32, F64, I64, I32, U8, BOOL)"),
            };
            if (!e.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array) throw Bad($"tensor '{name}': missing shape");
            var shape = new List<long>();
            long count = 1;
            foreach (var d in shapeJson.EnumerateArray())
            {
                if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0) throw Bad($"tensor '{name}': shape entries must be non-negative integers, got {d.GetRawText()}");
                if (dim > int.MaxValue) throw Bad($"tensor '{name}': dimension {dim} exceeds {int.MaxValue}");
                shape.Add(dim);
                count = dim == 0 || count == 0 ? 0 : count > long.MaxValue / SizeOf(dtype) / dim
                    ? throw Bad($"tensor '{name}': shape [{string.Join(", ", shape)}…] needs more than 2^63 bytes")
                    : count * dim;
            }
            if (!e.TryGetProperty("data_offsets", out var offJson) || offJson.ValueKind != JsonValueKind.Array || offJson.GetArrayLength() != 2
                || offJson.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.Number || !o.TryGetInt64(out long _)))
                throw Bad($"tensor '{name}': data_offsets must be two integers [begin, end]");
            long begin = offJson[0].GetInt64(), end = offJson[1].GetInt64();
            if (begin < 0 || end < begin || end > dataLength)
                throw Bad($"tensor '{name}': data_offsets [{begin}, {end}] outside the {dataLength}-byte data section");
            if (end - begin != count * SizeOf(dtype))
                throw Bad($"tensor '{name}': {dtype} shape [{string.Join(", ", shape)}] needs {count * SizeOf(dtype)} bytes but data_offsets span {end - begin}");
            if (tensors.ContainsKey(name)) throw Bad($"tensor '{name}' appears twice");
            tensors[name] = new SafetensorsTensor(dtype, shape.ToArray(), bytes.AsSpan((int)(dataStart + begin), (int)(end - begin)).ToArray());
            ranges.Add((begin, end, name));
        }
        ranges.Sort((x, y) => x.begin.CompareTo(y.begin));
        for (int i = 1; i < ranges.Count; i++)
            if (ranges[i].begin < ranges[i - 1].end)
                throw Bad($"tensors '{ranges[i - 1].name}' and '{ranges[i].name}' overlap in the data section");
        // As the reference implementation: the tensors tile the data section exactly (no gaps, nothing after).
        long covered = 0;
        foreach (var (begin, end, name) in ranges.Where(r => r.end > r.begin))
        {
            if (begin != covered) throw Bad($"bytes {covered}..{begin} of the data section belong to no tensor (before '{name}')");
            covered = end;
        }
        if (covered != dataLength) throw Bad($"the data section has {dataLength - covered} bytes after the last tensor");
        return new SafetensorsFile(tensors, metadata);
    }

    /// <summary>Writes tensors in the given order (atomically: temp file, then rename).</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, SafetensorsTensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (var (name, t) in list)
        {
            if (name == "__metadata__" || header.ContainsKey(name)) throw new ArgumentException($"safetensors: duplicate or reserved tensor name '{name}'");
            header[name] = new Dictionary<string, object> { ["dtype"] = t.DType.ToString(), ["shape"] = t.Shape, ["data_offsets"] = new[] { offset, offset + t.Data.Length } };
            offset += t.Data.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8; // keep the data 8-byte aligned, padding with spaces as the spec allows
        // A safetensors output names a file, not a place to create: a missing folder is a typo worth reporting.
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new UserError($"{path}: cannot write: the folder {folder} does not exist");
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (_, t) in list) stream.Write(t.Data);
        });
    }
}
