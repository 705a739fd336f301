using System.Runtime.InteropServices;

namespace WeJepa.Native.Glfw;

/// <summary>
/// The few GLFW 3.3 entry points the viewer uses (Debian package <c>libglfw3</c>, soname
/// <c>libglfw.so.3</c>), named after the C API. Windows are created without a client API (Vulkan
/// draws into them). Key presses arrive through a key callback (each press, in order, even two taps of one
/// key between two frames); the mouse is polled, sticky buttons keeping a click until it is read.
/// Every function must be called from the thread that called <see cref="glfwInit"/>.
/// </summary>
public static unsafe partial class Glfw
{
    public const string Library = "libglfw.so.3";
    public const string DebianPackage = "libglfw3";

    public const int True = 1, False = 0;
    public const int ClientApi = 0x00022001, NoApi = 0;
    public const int Resizable = 0x00020003, Visible = 0x00020004;
    public const int StickyKeys = 0x00033002, StickyMouseButtons = 0x00033003;
    public const int Press = 1, Release = 0;
    public const int MouseButtonLeft = 0;

    // Key codes (GLFW_KEY_*): printable keys are their ASCII upper-case code.
    public const int KeySpace = 32, KeyEqual = 61, KeyMinus = 45, KeyEscape = 256;
    public const int KeyKpAdd = 334, KeyKpSubtract = 333;

    [LibraryImport(Library)] public static partial int glfwInit();
    [LibraryImport(Library)] public static partial void glfwTerminate();
    /// <summary>The last error's code (0 none) and its UTF-8 description (valid until the next call).</summary>
    [LibraryImport(Library)] public static partial int glfwGetError(byte** description);
    [LibraryImport(Library)] public static partial void glfwWindowHint(int hint, int value);
    [LibraryImport(Library)] public static partial nint glfwCreateWindow(int width, int height, byte* title, nint monitor, nint share);
    [LibraryImport(Library)] public static partial void glfwDestroyWindow(nint window);
    [LibraryImport(Library)] public static partial int glfwWindowShouldClose(nint window);
    [LibraryImport(Library)] public static partial void glfwSetWindowShouldClose(nint window, int value);
    [LibraryImport(Library)] public static partial void glfwSetWindowTitle(nint window, byte* title);
    [LibraryImport(Library)] public static partial void glfwPollEvents();
    [LibraryImport(Library)] public static partial void glfwWaitEventsTimeout(double seconds);
    [LibraryImport(Library)] public static partial void glfwGetFramebufferSize(nint window, int* width, int* height);
    [LibraryImport(Library)] public static partial void glfwSetInputMode(nint window, int mode, int value);
    /// <summary>GLFWkeyfun(window, key, scancode, action, mods), called from inside glfwPollEvents; returns the previous callback.</summary>
    [LibraryImport(Library)] public static partial nint glfwSetKeyCallback(nint window, delegate* unmanaged[Cdecl]<nint, int, int, int, int, void> callback);
    [LibraryImport(Library)] public static partial int glfwGetMouseButton(nint window, int button);
    [LibraryImport(Library)] public static partial void glfwGetCursorPos(nint window, double* x, double* y);

    [LibraryImport(Library)] public static partial int glfwVulkanSupported();
    /// <summary>Names of the instance extensions a window surface needs (owned by GLFW).</summary>
    [LibraryImport(Library)] public static partial byte** glfwGetRequiredInstanceExtensions(uint* count);
    /// <summary>VkResult glfwCreateWindowSurface(VkInstance, GLFWwindow*, const VkAllocationCallbacks*, VkSurfaceKHR*).</summary>
    [LibraryImport(Library)] public static partial int glfwCreateWindowSurface(nint instance, nint window, nint allocator, ulong* surface);

    /// <summary>True when the shared library can be loaded.</summary>
    public static bool IsAvailable() => NativeLibrary.TryLoad(Library, out _);

    /// <summary>The last GLFW error as "description (code 0x…)", or null when there is none.</summary>
    public static string? LastError()
    {
        byte* text;
        var code = glfwGetError(&text);
        return code == 0 ? null : $"{Marshal.PtrToStringUTF8((nint)text)} (GLFW error 0x{code:X})";
    }
}
