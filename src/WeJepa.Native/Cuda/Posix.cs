using System.Runtime.InteropServices;

namespace WeJepa.Native.Cuda;

/// <summary>The libc call an fd handover needs: closing an exported fd that no importer took.</summary>
public static partial class Posix
{
    [LibraryImport("libc", EntryPoint = "close")]
    public static partial int close(int fd);
}
