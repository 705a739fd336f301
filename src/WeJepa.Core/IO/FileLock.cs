using WeJepa.Core.Errors;

namespace WeJepa.Core.IO;

/// <summary>
/// An exclusive lock on an output folder, held for a whole run so that a second writer is refused instead
/// of mixing its files with the first's. The lock is the hidden file <see cref="FileName"/> opened with
/// <see cref="FileShare.None"/> (an advisory <c>flock</c> on Linux, so it also excludes a second run in the
/// same process, and the kernel releases it when a killed run's process ends). Disposing deletes the file.
/// </summary>
public sealed class FileLock : IDisposable
{
    public const string FileName = ".wejepa.lock";

    private readonly FileStream _stream;
    private readonly string _path;

    private FileLock(FileStream stream, string path) => (_stream, _path) = (stream, path);

    /// <summary>Takes the lock on <paramref name="folder"/> (which must exist), or refuses naming the folder.</summary>
    public static FileLock Acquire(string folder)
    {
        var path = Path.Combine(folder, FileName);
        for (var attempt = 0; ; attempt++)
        {
            FileStream stream;
            try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException e) when (File.Exists(path))
            {
                throw new UserError($"{folder}: another run is writing into this folder (it holds {FileName} locked); wait for it to finish or choose another --out", ExitCodes.BadInput, e);
            }
            catch (IOException e)
            {
                throw new UserError($"{folder}: cannot take the output folder's lock {FileName}: {e.Message}");
            }
            catch (UnauthorizedAccessException e)
            {
                throw new UserError($"{folder}: cannot take the output folder's lock {FileName}: {e.Message}");
            }
            // The holder before us deletes the file when it finishes: if the path no longer names the file we
            // locked, we hold a lock nobody else can see; take the new file's lock instead.
            var held = FileKinds.IdentityOf(stream.SafeFileHandle);
            if (held is null || FileKinds.IdentityAt(path) == held || attempt == 10) return new FileLock(stream, path);
            stream.Dispose();
        }
    }

    public void Dispose()
    {
        try { File.Delete(_path); } // while still holding the lock: a waiting opener then sees a fresh file
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        _stream.Dispose();
    }
}
