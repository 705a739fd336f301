using System.Runtime.InteropServices;
using System.Text;
using WeJepa.Core.Errors;
using WeJepa.Native.Glfw;
using static WeJepa.Native.Glfw.Glfw;

namespace WeJepa.Viewer.Window;

/// <summary>
/// One GLFW window without a client API (Vulkan draws into it). Owns GLFW's initialisation: one window per
/// process, created and used on one thread. Key presses are queued by a callback; the mouse is polled.
/// </summary>
public sealed unsafe class GlfwWindow : IDisposable
{
    // Filled by OnKey inside glfwPollEvents, on the window's thread; static since a process has one window.
    private static readonly Queue<int> presses = new();
    private nint handle;

    /// <summary>A display to open a window on: <c>DISPLAY</c> or <c>WAYLAND_DISPLAY</c>.</summary>
    public static bool HasDisplay() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DISPLAY")) ||
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("WAYLAND_DISPLAY"));

    public const string NoDisplayMessage =
        "no display (neither DISPLAY nor WAYLAND_DISPLAY is set): render offscreen with `wejepa view --record F.gif` " +
        "or `--frames N --screenshot F.png`, or run under a virtual display: xvfb-run -a -s \"-screen 0 1280x800x24\" wejepa view ...";

    /// <exception cref="UserError">No display, no libglfw.so.3, or GLFW cannot open a Vulkan window (exit code 3).</exception>
    public GlfwWindow(string title, int width, int height)
    {
        if (!HasDisplay()) throw new UserError(NoDisplayMessage, ExitCodes.MissingDependency);
        if (!IsAvailable())
            throw new UserError($"{Library} is missing: apt-get install {DebianPackage}", ExitCodes.MissingDependency);
        if (glfwInit() != True) throw new UserError($"glfwInit failed: {LastError()}", ExitCodes.MissingDependency);
        try
        {
            if (glfwVulkanSupported() != True)
                throw new UserError($"GLFW finds no Vulkan loader for windows: {LastError()}", ExitCodes.MissingDependency);
            glfwWindowHint(ClientApi, NoApi);
            glfwWindowHint(Resizable, True);
            var name = Encoding.UTF8.GetBytes(title + "\0");
            fixed (byte* n = name) handle = glfwCreateWindow(width, height, n, 0, 0);
            if (handle == 0) throw new UserError($"glfwCreateWindow failed: {LastError()}", ExitCodes.MissingDependency);
            presses.Clear();
            glfwSetKeyCallback(handle, &OnKey);
            glfwSetInputMode(handle, StickyMouseButtons, True);
        }
        catch
        {
            glfwTerminate();
            throw;
        }
    }

    /// <summary>The instance extensions a surface for this window needs (VK_KHR_surface and the window system's).</summary>
    public static string[] RequiredInstanceExtensions()
    {
        uint count;
        var names = glfwGetRequiredInstanceExtensions(&count);
        if (names == null) throw new UserError($"GLFW cannot make Vulkan surfaces here: {LastError()}", ExitCodes.MissingDependency);
        return [.. Enumerable.Range(0, (int)count).Select(i => Marshal.PtrToStringUTF8((nint)names[i])!)];
    }

    /// <summary>A VkSurfaceKHR for this window on the instance <paramref name="instance"/> (the caller owns it).</summary>
    public ulong CreateSurface(nint instance)
    {
        ulong surface;
        var result = glfwCreateWindowSurface(instance, handle, 0, &surface);
        if (result != 0) throw new UserError($"glfwCreateWindowSurface returned VkResult {result}: {LastError()}", ExitCodes.MissingDependency);
        return surface;
    }

    public (int Width, int Height) FramebufferSize()
    {
        int w, h;
        glfwGetFramebufferSize(handle, &w, &h);
        return (w, h);
    }

    public bool ShouldClose => glfwWindowShouldClose(handle) == True;
    public void RequestClose() => glfwSetWindowShouldClose(handle, True);
    public void PollEvents() => glfwPollEvents();
    /// <summary>Sleeps until an event arrives or the timeout passes (while minimised).</summary>
    public void WaitEvents(double seconds) => glfwWaitEventsTimeout(seconds);

    /// <summary>The next key pressed (GLFW key code) since the last call, in the order pressed; false when none is left.</summary>
    public static bool TryTakePress(out int key) => presses.TryDequeue(out key);

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static void OnKey(nint window, int key, int scancode, int action, int mods)
    {
        if (action == Press) presses.Enqueue(key);
    }

    public bool MouseDown => glfwGetMouseButton(handle, MouseButtonLeft) == Press;

    public (double X, double Y) Cursor()
    {
        double x, y;
        glfwGetCursorPos(handle, &x, &y);
        return (x, y);
    }

    public void SetTitle(string title)
    {
        var name = Encoding.UTF8.GetBytes(title + "\0");
        fixed (byte* n = name) glfwSetWindowTitle(handle, n);
    }

    public void Dispose()
    {
        if (handle == 0) return;
        glfwDestroyWindow(handle);
        handle = 0;
        glfwTerminate();
    }
}
