using System.Diagnostics;

namespace WeJepa.App.Tests;

/// <summary>
/// Runs <see cref="Program.Run"/> in-process and captures what it printed (the CLI writes through
/// <c>Console</c> and through Spectre consoles bound to the current <c>Console.Out</c>/<c>Console.Error</c>).
/// </summary>
public static class Cli
{
    private static readonly object Gate = new();

    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        lock (Gate)
        {
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try { return (Program.Run(args), stdout.ToString(), stderr.ToString()); }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }

    public static string Scene(string name) => Path.Combine(AppContext.BaseDirectory, "scenes", name);

    /// <summary>Runs Debian's /usr/bin/python3 (with numpy) and returns its stdout.</summary>
    public static string Python(string script, params string[] args)
    {
        if (!File.Exists("/usr/bin/python3")) Assert.Ignore("/usr/bin/python3 is not installed");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), $"python failed: {stderr}");
        return stdout.Result.Trim();
    }
}
