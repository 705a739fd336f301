using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the whole new one, never a half-written
/// file: the bytes go to a hidden temporary file in the same folder, which is then renamed over the target.
/// </summary>
public static class AtomicFile
{
    /// <summary>Part of every temporary name (<c>.NAME.tmp-GUID</c>), so leftovers of a killed run can be found.</summary>
    public const string TempMarker = ".tmp-";

    /// <summary>A fresh hidden temporary path beside <paramref name="fullPath"/>.</summary>
    public static string TempSibling(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}{TempMarker}{Guid.NewGuid():N}");

    /// <summary>Deletes the temporaries (<c>.NAME.tmp-GUID</c> files) a killed writer left in <paramref name="folder"/>: none holds a whole file.</summary>
    public static void RemoveTemporaries(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var f in Directory.EnumerateFiles(folder, "." + "*" + TempMarker + "*")) File.Delete(f);
    }

    /// <param name="bufferSize">The file stream's buffer (large for multi-GB shards).</param>
    public static void Write(string path, Action<Stream> write, int bufferSize = 4096)
    {
        if (path.Length == 0) throw new UserError("cannot write a file with an empty path");
        var full = Path.GetFullPath(path);
        var shown = AtomicDirectory.UserPath(path);
        // The rename would replace a FIFO or device node itself (as root: /dev/null becomes a regular file);
        // a symbolic link is replaced as a link, leaving what it points to alone.
        var kind = FileKinds.Of(full, followLinks: false);
        if (kind is not (FileKind.Missing or FileKind.Regular or FileKind.SymbolicLink))
            throw new UserError($"{shown}: is {FileKinds.Describe(kind)}, not a regular file; refusing to replace it");
        EnsureFolder(Path.GetDirectoryName(full)!);
        var temp = TempSibling(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize))
                write(stream);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{shown}: cannot write: {AtomicDirectory.UserPath(e.Message)}");
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Creates <paramref name="dir"/> (and parents), turning failures into a <see cref="UserError"/>.</summary>
    public static void EnsureFolder(string dir)
    {
        try { Directory.CreateDirectory(dir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{dir}: cannot create the folder: {e.Message}");
        }
    }
}

/// <summary>
/// A multi-file output folder that appears all at once: files are written into a hidden temporary
/// sibling folder, and <see cref="Commit"/> renames it into place (replacing an older folder of the same
/// name). Disposing without committing deletes the temporary folder, so a failed run leaves nothing.
/// </summary>
public sealed class AtomicDirectory : IDisposable
{
    /// <summary>Temporary folders being filled now, and the user's name for each (for messages).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Open = new();

    private bool _committed;

    /// <summary>The folder the outputs will have after <see cref="Commit"/>.</summary>
    public string FinalPath { get; }
    /// <summary>Where to write now.</summary>
    public string TempPath { get; }

    public AtomicDirectory(string finalPath)
    {
        if (finalPath.Length == 0) throw new UserError("the output folder path is empty");
        FinalPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(finalPath));
        if (File.Exists(FinalPath)) throw new UserError($"{finalPath}: exists and is a file, expected an output folder");
        var parent = Path.GetDirectoryName(FinalPath)!;
        AtomicFile.EnsureFolder(parent);
        TempPath = AtomicFile.TempSibling(FinalPath);
        AtomicFile.EnsureFolder(TempPath);
        Open[TempPath] = finalPath;
    }

    /// <summary>
    /// <paramref name="text"/> (a path or a message) with any open temporary folder replaced by the output
    /// folder the user named, so errors never show an internal temporary name.
    /// </summary>
    public static string UserPath(string text)
    {
        foreach (var (temp, final) in Open)
            if (text.Contains(temp, StringComparison.Ordinal)) text = text.Replace(temp, Path.TrimEndingDirectorySeparator(final));
        return text;
    }

    /// <summary>Path of <paramref name="name"/> inside the temporary folder.</summary>
    public string FilePath(string name) => Path.Combine(TempPath, name);

    public void Commit()
    {
        if (_committed) return;
        var old = Directory.Exists(FinalPath) ? $"{TempPath}.old" : null;
        try
        {
            if (old is not null) Directory.Move(FinalPath, old);
            Directory.Move(TempPath, FinalPath);
            _committed = true;
            if (old is not null) Directory.Delete(old, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (old is not null && !Directory.Exists(FinalPath) && Directory.Exists(old)) Directory.Move(old, FinalPath);
            throw new UserError($"{FinalPath}: cannot move the outputs into place: {e.Message}");
        }
    }

    public void Dispose()
    {
        Open.TryRemove(TempPath, out _);
        if (!_committed && Directory.Exists(TempPath)) Directory.Delete(TempPath, recursive: true);
    }
}
