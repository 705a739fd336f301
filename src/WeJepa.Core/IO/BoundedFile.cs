using System.Text;
using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>
/// Reads an input file the user named, refusing what would hang or exhaust memory: a missing path, a
/// folder, a FIFO or device node (<c>/dev/zero</c> never ends, a FIFO blocks), or a file larger than the
/// caller's bound. Every refusal is a <see cref="UserError"/> (exit 2) naming the path and what it is.
/// Use it for every file a command reads (scenes, weights, batches, arrays, configs).
/// </summary>
public static class BoundedFile
{
    /// <summary>
    /// Checks <paramref name="path"/> names a regular file of at most <paramref name="maxBytes"/> bytes and
    /// returns its length. <paramref name="what"/> names the role in messages ("scene file", "weights file").
    /// </summary>
    public static long Check(string path, long maxBytes, string what)
    {
        if (path.Length == 0) throw new UserError($"the {what} path is empty");
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Missing) throw new UserError($"{path}: {what} not found");
        if (kind == FileKind.Directory) throw new UserError($"{path}: is a folder, expected a {what}");
        if (kind != FileKind.Regular) throw new UserError($"{path}: is {FileKinds.Describe(kind)}, expected a regular {what}");
        long length = new FileInfo(path).Length;
        if (length > maxBytes) throw new UserError($"{path}: the {what} is {Sizes.Human(length)}, more than the {Sizes.Human(maxBytes)} a {what} may hold");
        return length;
    }

    /// <summary>The whole file (checked by <see cref="Check"/>); a file that grows while read is cut at the bound and refused.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes, string what)
    {
        maxBytes = Math.Min(maxBytes, Array.MaxLength);
        Check(path, maxBytes, what);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            if (stream.ReadByte() >= 0) throw new UserError($"{path}: the {what} changed while it was read");
            return bytes;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{path}: cannot read the {what}: {e.Message}", ExitCodes.BadInput, e);
        }
    }

    /// <summary>The file as strict UTF-8 text (a leading BOM dropped); invalid bytes are refused with their line and column.</summary>
    public static string ReadAllText(string path, long maxBytes, string what)
    {
        var bytes = ReadAllBytes(path, maxBytes, what);
        return DecodeUtf8(bytes, path, what);
    }

    /// <summary>Strict UTF-8 decoding; the error names <c>path:line:col</c> of the first invalid byte.</summary>
    public static string DecodeUtf8(byte[] bytes, string path, string what)
    {
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, start, bytes.Length - start); }
        catch (DecoderFallbackException e)
        {
            int at = start + Math.Max(0, e.Index), line = 1, lineStart = 0;
            for (int i = 0; i < at && i < bytes.Length; i++)
                if (bytes[i] == '\n') (line, lineStart) = (line + 1, i + 1);
            throw new UserError($"{path}:{line}:{at - lineStart + 1}: the {what} is not UTF-8 text (byte 0x{bytes[Math.Min(at, bytes.Length - 1)]:X2})");
        }
    }
}

/// <summary>Byte counts for people: 812 B, 97.7 KiB, 1.50 GiB.</summary>
public static class Sizes
{
    public static string Human(long bytes) => bytes switch
    {
        < 1L << 10 => $"{bytes} B",
        < 1L << 20 => $"{bytes / 1024.0:F1} KiB",
        < 1L << 30 => $"{bytes / 1048576.0:F1} MiB",
        _ => $"{bytes / 1073741824.0:F2} GiB",
    };
}
