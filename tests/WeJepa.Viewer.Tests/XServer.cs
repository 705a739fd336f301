using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace WeJepa.Viewer.Tests;

/// <summary>
/// A private Xvfb display (24-bit, as Vulkan surfaces need) for one test, and the X tools that drive
/// it: <c>xdotool</c> for keys and window sizes, <c>xwd</c> for screenshots taken by the X server.
/// </summary>
public sealed class XServer : IDisposable
{
    private readonly Process xvfb;

    public string Display { get; }

    /// <summary>Starts Xvfb on a free display; ignores the test when Xvfb or the tools are not installed (./wejepa test installs them).</summary>
    public static XServer Start(int width = 1280, int height = 800)
    {
        foreach (var tool in new[] { "Xvfb", "xdotool", "xwd" })
            if (!Tools.OnPath(tool)) Assert.Ignore($"{tool} is not installed (apt-get install xvfb xdotool x11-apps; ./wejepa test installs them)");
        return new XServer(width, height);
    }

    private XServer(int width, int height)
    {
        // -displayfd: Xvfb picks a free display and writes its number once it accepts connections.
        var info = new ProcessStartInfo("Xvfb", $"-displayfd 1 -screen 0 {width}x{height}x24 -nolisten tcp")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        xvfb = Process.Start(info)!;
        xvfb.ErrorDataReceived += (_, _) => { };
        xvfb.BeginErrorReadLine();
        var line = xvfb.StandardOutput.ReadLine();
        if (line is null || !int.TryParse(line.Trim(), out var display))
            throw new InvalidOperationException($"Xvfb did not report a display (got \"{line}\")");
        Display = $":{display}";
    }

    /// <summary>Runs an X tool on this display; returns its standard output (bytes).</summary>
    public byte[] Run(string tool, string arguments)
    {
        var info = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment["DISPLAY"] = Display;
        using var p = Process.Start(info)!;
        using var output = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(output);
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20_000)) p.Kill();
        copy.Wait();
        Assert.That(p.ExitCode, Is.Zero, $"{tool} {arguments}: {error.Result}");
        return output.ToArray();
    }

    public string Text(string tool, string arguments) => System.Text.Encoding.UTF8.GetString(Run(tool, arguments)).Trim();

    /// <summary>The window's contents as the X server holds them (xwd), as interleaved RGB.</summary>
    public (byte[] Rgb, int Width, int Height) Screenshot(string window) => Xwd.Decode(Run("xwd", $"-silent -id {window}"));

    public void Dispose()
    {
        if (!xvfb.HasExited) xvfb.Kill();
        xvfb.WaitForExit(5000);
        xvfb.Dispose();
    }
}

/// <summary>Decodes the X Window Dump format xwd writes: a big-endian header, a colour map, then ZPixmap rows.</summary>
public static class Xwd
{
    public static (byte[] Rgb, int Width, int Height) Decode(byte[] file)
    {
        uint U(int field) => BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(4 * field));
        int headerSize = (int)U(0), format = (int)U(2), width = (int)U(4), height = (int)U(5), byteOrder = (int)U(7);
        int bitsPerPixel = (int)U(11), bytesPerLine = (int)U(12), colors = (int)U(19);
        uint redMask = U(13 + 1), greenMask = U(13 + 2), blueMask = U(13 + 3);
        if (format != 2 || bitsPerPixel != 32) throw new InvalidDataException($"xwd: expected a 32-bit ZPixmap, got format {format}, {bitsPerPixel} bits per pixel");
        var pixels = headerSize + 12 * colors;
        var rgb = new byte[3 * width * height];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var span = file.AsSpan(pixels + y * bytesPerLine + 4 * x, 4);
                var v = byteOrder == 0 ? BinaryPrimitives.ReadUInt32LittleEndian(span) : BinaryPrimitives.ReadUInt32BigEndian(span);
                var i = 3 * (y * width + x);
                rgb[i] = Channel(v, redMask);
                rgb[i + 1] = Channel(v, greenMask);
                rgb[i + 2] = Channel(v, blueMask);
            }
        return (rgb, width, height);
    }

    private static byte Channel(uint v, uint mask) => (byte)((v & mask) >> System.Numerics.BitOperations.TrailingZeroCount(mask));
}

/// <summary>The `wejepa` binary run in its own process, its event lines collected as they come.</summary>
public sealed class ViewerProcess : IDisposable
{
    private readonly Process process;
    private readonly BlockingCollection<string> lines = [];
    private readonly List<string> seen = [];
    private readonly System.Text.StringBuilder errors = new();

    public static string Binary => TestSupport.Repository.File("artifacts", "bin", "WeJepa.App", "release", "wejepa");

    /// <param name="display">The X display; null runs without any (DISPLAY and WAYLAND_DISPLAY unset).</param>
    public ViewerProcess(string? display, string arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(Binary, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (display is null) info.Environment.Remove("DISPLAY");
        else info.Environment["DISPLAY"] = display;
        info.Environment.Remove("WAYLAND_DISPLAY");
        process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Errors { get { lock (errors) return errors.ToString(); } }

    /// <summary>The next event line starting with <paramref name="prefix"/> (earlier other lines are skipped).</summary>
    public string WaitFor(string prefix, int timeoutMs = 30_000)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.ElapsedMilliseconds < timeoutMs)
        {
            if (lines.TryTake(out var line, 200))
            {
                seen.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
            }
            else if (process.HasExited && lines.Count == 0) break;
        }
        Assert.Fail($"no line \"{prefix}…\" from wejepa view; seen:\n{string.Join("\n", seen)}\nstderr:\n{Errors}");
        return "";
    }

    public int WaitForExit(int timeoutMs = 20_000)
    {
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill();
            Assert.Fail("wejepa view did not exit");
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}

public static class Tools
{
    public static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, tool)));
}

/// <summary>
/// The window manager's close button without a window manager: a WM_DELETE_WINDOW client message (ICCCM),
/// sent through Xlib to the window as a window manager sends it.
/// </summary>
public static unsafe partial class WindowManagerClose
{
    private const string Xlib = "libX11.so.6";
    private const int ClientMessage = 33;

    [System.Runtime.InteropServices.LibraryImport(Xlib, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial nint XOpenDisplay(string name);
    [System.Runtime.InteropServices.LibraryImport(Xlib, StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    private static partial ulong XInternAtom(nint display, string name, int onlyIfExists);
    [System.Runtime.InteropServices.LibraryImport(Xlib)]
    private static partial int XSendEvent(nint display, ulong window, int propagate, long eventMask, byte* xevent);
    [System.Runtime.InteropServices.LibraryImport(Xlib)]
    private static partial int XFlush(nint display);
    [System.Runtime.InteropServices.LibraryImport(Xlib)]
    private static partial int XCloseDisplay(nint display);

    public static void Send(string display, string window)
    {
        var d = XOpenDisplay(display);
        Assert.That(d, Is.Not.Zero, $"XOpenDisplay({display})");
        try
        {
            var id = ulong.Parse(window, System.Globalization.CultureInfo.InvariantCulture);
            // XClientMessageEvent on LP64, inside the 192-byte XEvent union: type, serial, send_event, display,
            // window, message_type, format, then data.l[5] (l[0] the protocol atom, l[1] the time).
            var e = stackalloc byte[192];
            new Span<byte>(e, 192).Clear();
            *(int*)e = ClientMessage;
            *(int*)(e + 16) = 1;
            *(nint*)(e + 24) = d;
            *(ulong*)(e + 32) = id;
            *(ulong*)(e + 40) = XInternAtom(d, "WM_PROTOCOLS", 0);
            *(int*)(e + 48) = 32;
            *(ulong*)(e + 56) = XInternAtom(d, "WM_DELETE_WINDOW", 0);
            Assert.That(XSendEvent(d, id, 0, 0, e), Is.Not.Zero, "XSendEvent");
            XFlush(d);
        }
        finally { XCloseDisplay(d); }
    }
}
