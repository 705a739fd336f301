using System.Runtime.InteropServices;

namespace WeJepa.Native.Cuda;

/// <summary>
/// The few CUDA driver API entry points (libcuda.so.1, installed with the NVIDIA driver) that import
/// memory another API exported: Vulkan's VK_KHR_external_memory_fd opaque file descriptors. Named after
/// the C API; every call returns a CUresult (0 = CUDA_SUCCESS), checked by <see cref="Check"/>. The calls
/// act on the current CUDA context: bind the accelerator first (ILGPU's <c>Accelerator.BindScoped()</c>).
/// </summary>
public static unsafe partial class CudaDriver
{
    public const string Library = "libcuda.so.1";

    /// <summary>CU_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD: a POSIX fd from vkGetMemoryFdKHR (OPAQUE_FD_BIT).</summary>
    public const int ExternalMemoryHandleTypeOpaqueFd = 1;

    /// <summary>CUDA_EXTERNAL_MEMORY_DEDICATED: set only when the Vulkan memory is a dedicated allocation (ours are not).</summary>
    public const uint ExternalMemoryDedicated = 1;

    /// <summary>cuImportExternalMemory: on success CUDA owns the fd (do not close it).</summary>
    [LibraryImport(Library, EntryPoint = "cuImportExternalMemory")]
    public static partial int cuImportExternalMemory(out nint externalMemory, in ExternalMemoryHandleDesc desc);

    /// <summary>cuExternalMemoryGetMappedBuffer: a device pointer into imported memory; free it with <see cref="cuMemFree"/>.</summary>
    [LibraryImport(Library, EntryPoint = "cuExternalMemoryGetMappedBuffer")]
    public static partial int cuExternalMemoryGetMappedBuffer(out ulong devicePointer, nint externalMemory, in ExternalMemoryBufferDesc desc);

    [LibraryImport(Library, EntryPoint = "cuDestroyExternalMemory")]
    public static partial int cuDestroyExternalMemory(nint externalMemory);

    [LibraryImport(Library, EntryPoint = "cuMemFree_v2")]
    public static partial int cuMemFree(ulong devicePointer);

    /// <summary>Throws naming the call when <paramref name="result"/> is not CUDA_SUCCESS.</summary>
    public static void Check(int result, string call)
    {
        if (result != 0) throw new InvalidOperationException($"{call} failed with CUresult {result}{Describe(result)}");
    }

    private static string Describe(int result) => result switch
    {
        1 => " (CUDA_ERROR_INVALID_VALUE)",
        2 => " (CUDA_ERROR_OUT_OF_MEMORY)",
        3 => " (CUDA_ERROR_NOT_INITIALIZED)",
        201 => " (CUDA_ERROR_INVALID_CONTEXT: bind the accelerator first)",
        801 => " (CUDA_ERROR_NOT_SUPPORTED)",
        999 => " (CUDA_ERROR_UNKNOWN)",
        _ => "",
    };

    /// <summary>True when the driver library can be loaded (a machine with an NVIDIA driver).</summary>
    public static bool IsAvailable() => NativeLibrary.TryLoad(Library, out _);
}

/// <summary>
/// CUDA_EXTERNAL_MEMORY_HANDLE_DESC (cuda.h, 104 bytes): type, a union of handles (an fd here) at offset 8,
/// size at 24, flags at 32, then 16 reserved words that must be zero (a new struct is all zero).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 104)]
public struct ExternalMemoryHandleDesc
{
    [FieldOffset(0)] public int Type;
    [FieldOffset(8)] public int Fd;
    [FieldOffset(24)] public ulong Size;
    [FieldOffset(32)] public uint Flags;
}

/// <summary>CUDA_EXTERNAL_MEMORY_BUFFER_DESC (cuda.h, 88 bytes): offset, size, flags (0), then 16 reserved zero words.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct ExternalMemoryBufferDesc
{
    [FieldOffset(0)] public ulong Offset;
    [FieldOffset(8)] public ulong Size;
    [FieldOffset(16)] public uint Flags;
}
