using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>
/// Checks an output path the user gave before anything is computed or written, so that a run never
/// deletes or replaces what it did not write. Every refusal is a <see cref="UserError"/> (exit 2) that
/// names the option (<c>--out</c>) and the path as the user typed it. Commands call
/// <see cref="CheckFile"/> for a one-file output and <see cref="CheckFolder"/> for an output folder,
/// passing every input path they read.
/// </summary>
public static class OutputTarget
{
    /// <summary>
    /// A file output: a non-empty path that is new or an existing regular file (never a folder, FIFO or
    /// device node: the atomic rename would replace the node itself), and none of <paramref name="inputs"/>.
    /// </summary>
    public static void CheckFile(string option, string path, params string?[] inputs)
    {
        if (path.Length == 0) throw new UserError($"{option}: the path is empty; name the output file");
        var kind = FileKinds.Of(path);
        if (kind == FileKind.Directory) throw new UserError($"{option} {path}: is a folder, expected an output file path");
        if (kind is not (FileKind.Missing or FileKind.Regular))
            throw new UserError($"{option} {path}: is {FileKinds.Describe(kind)}; name a regular file (it is replaced by rename)");
        if (kind == FileKind.Regular)
            foreach (var input in inputs.OfType<string>())
                if (FileKinds.SameFile(path, input))
                    throw new UserError($"{option} {path}: is also an input of this run ({input}); choose another output file");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var folderKind = FileKinds.Of(folder);
        if (folderKind != FileKind.Directory)
            throw new UserError($"{option} {path}: the folder {folder} {(folderKind == FileKind.Missing ? "does not exist" : $"is {FileKinds.Describe(folderKind)}")}");
    }

    /// <summary>
    /// An output folder: a non-empty path that is new or an existing folder (not a file, link or node),
    /// not the current folder or one above it, holding none of <paramref name="inputs"/>, and — when
    /// <paramref name="owned"/> is given (the file names the command writes there) — nothing else, because
    /// the command replaces the folder as a whole.
    /// </summary>
    public static void CheckFolder(string option, string path, IEnumerable<string?> inputs, IReadOnlyCollection<string>? owned = null)
    {
        if (path.Length == 0) throw new UserError($"{option}: the path is empty; name the output folder");
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var kind = FileKinds.Of(full, followLinks: false);
        if (kind == FileKind.SymbolicLink)
            throw new UserError($"{option} {path}: is a symbolic link; give the folder it points to ({Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, new FileInfo(full).LinkTarget ?? ""))})");
        if (kind is not (FileKind.Missing or FileKind.Directory))
            throw new UserError($"{option} {path}: exists and is {FileKinds.Describe(kind)}, expected an output folder");
        foreach (var input in inputs.OfType<string>())
            if (IsSameOrInside(Path.GetFullPath(input), full))
                throw new UserError($"{option} {path}: holds the input {input}; choose an output folder that does not contain the run's inputs");
        if (owned is not null && IsSameOrInside(Directory.GetCurrentDirectory(), full))
            throw new UserError($"{option} {path}: is the current folder or one above it, which this command would replace; name a new or empty folder");
        if (owned is null || kind == FileKind.Missing) return;
        var foreign = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Where(n => !owned.Contains(n!)).Order(StringComparer.Ordinal).ToList();
        if (foreign.Count > 0)
            throw new UserError($"{option} {path}: holds files this command did not write ({string.Join(", ", foreign.Take(5))}{(foreign.Count > 5 ? $", … {foreign.Count} in all" : "")}); " +
                                "the folder is replaced as a whole, so name a new or empty folder, or move them away");
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or lies below it (full paths).</summary>
    public static bool IsSameOrInside(string path, string folder)
    {
        path = Path.TrimEndingDirectorySeparator(path);
        folder = Path.TrimEndingDirectorySeparator(folder);
        return path == folder || path.StartsWith(folder.EndsWith('/') ? folder : folder + "/", StringComparison.Ordinal);
    }
}
