using System.Diagnostics;

namespace WeJepa.TestSupport;

/// <summary>
/// Runs Debian's <c>/usr/bin/python3</c> (which has numpy and torch) and returns its stdout. Without the
/// interpreter the test is ignored; a non-zero exit fails it with Python's stderr.
/// </summary>
public static class Python
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs the inline <paramref name="script"/> (<c>python3 -c</c>) with <paramref name="args"/> as <c>sys.argv[1:]</c>.</summary>
    public static string Run(string script, params string[] args) => Exec(["-c", script, .. args]);

    /// <summary>Runs the script file at <paramref name="path"/> with <paramref name="args"/>.</summary>
    public static string RunFile(string path, params string[] args) => Exec([path, .. args]);

    private static string Exec(string[] argv)
    {
        if (!File.Exists(Interpreter)) Assert.Ignore($"{Interpreter} is not installed");
        var psi = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in argv) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), $"python failed: {stderr}");
        return stdout.Result.Trim();
    }
}
