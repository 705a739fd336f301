using System.Runtime.InteropServices;

namespace WeJepa.Core.IO;

/// <summary>What a path names on disk. .NET reports FIFOs and device nodes as ordinary files.</summary>
public enum FileKind { Missing, Regular, Directory, SymbolicLink, Fifo, CharacterDevice, BlockDevice, Socket }

/// <summary>
/// The file type and identity of a path, from Linux <c>statx</c>. .NET cannot tell a regular file from a
/// FIFO or a device node (<c>File.Exists</c> is true for <c>/dev/zero</c>, and opening a FIFO blocks until a
/// writer appears), so every input is checked here before it is opened, and every output before it is replaced.
/// </summary>
public static class FileKinds
{
    /// <summary>The kind of <paramref name="path"/>, following symbolic links unless <paramref name="followLinks"/> is false.</summary>
    public static FileKind Of(string path, bool followLinks = true) => Stat(path, followLinks) is { } s ? s.Kind : FileKind.Missing;

    /// <summary>True when both paths name the same file (same device and inode), through links.</summary>
    public static bool SameFile(string a, string b) =>
        Stat(a, true) is { } x && Stat(b, true) is { } y
            ? x.Device == y.Device && x.Inode == y.Inode
            : Path.GetFullPath(a) == Path.GetFullPath(b);

    /// <summary>"a FIFO", "a character device", … for messages.</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a folder",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "missing",
    };

    private readonly record struct Status(FileKind Kind, ulong Device, ulong Inode, long Size);

    /// <summary>The device and inode of an open handle (to check a path still names the file we hold).</summary>
    internal static (ulong Device, ulong Inode)? IdentityOf(Microsoft.Win32.SafeHandles.SafeFileHandle handle) =>
        OperatingSystem.IsLinux() && Stat((int)handle.DangerousGetHandle(), "", EmptyPath) is { } s ? (s.Device, s.Inode) : null;

    /// <summary>The device and inode a path names now, or null when it names nothing.</summary>
    internal static (ulong Device, ulong Inode)? IdentityAt(string path) => Stat(path, true) is { } s ? (s.Device, s.Inode) : null;

    private static Status? Stat(string path, bool followLinks)
    {
        if (path.Length == 0) return null;
        if (!OperatingSystem.IsLinux())
            return Directory.Exists(path) ? new(FileKind.Directory, 0, 0, 0) : File.Exists(path) ? new(FileKind.Regular, 0, 0, new FileInfo(path).Length) : null;
        return Stat(AtCurrentDirectory, path, followLinks ? 0 : SymlinkNoFollow);
    }

    private static unsafe Status? Stat(int dirfd, string path, int flags)
    {
        // struct statx is 256 bytes with the same layout on every Linux architecture.
        byte* buffer = stackalloc byte[256];
        if (statx(dirfd, path, flags, TypeAndInode, buffer) != 0) return null;
        var mode = *(ushort*)(buffer + 28) & 0xF000;
        var kind = mode switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Socket,
        };
        ulong device = ((ulong)*(uint*)(buffer + 136) << 32) | *(uint*)(buffer + 140); // stx_dev_major, stx_dev_minor
        return new Status(kind, device, *(ulong*)(buffer + 32), *(long*)(buffer + 40));
    }

    private const int AtCurrentDirectory = -100;  // AT_FDCWD
    private const int SymlinkNoFollow = 0x100;    // AT_SYMLINK_NOFOLLOW
    private const int EmptyPath = 0x1000;         // AT_EMPTY_PATH: stat the descriptor itself
    private const uint TypeAndInode = 0x1 | 0x100 | 0x200; // STATX_TYPE | STATX_INO | STATX_SIZE

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buffer);
}
