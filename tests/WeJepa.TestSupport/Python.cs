using System.Diagnostics;

namespace WeJepa.TestSupport;

/// <summary>Runs Debian's <c>/usr/bin/python3</c> (which has numpy and torch) and returns its stdout.</summary>
public static class Python
{
    public const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; ignores the test without the interpreter, fails it on a non-zero exit.</summary>
    public static string Run(string script, params string[] args)
    {
        if (!File.Exists(Interpreter)) Assert.Ignore($"{Interpreter} is not installed");
        var psi = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, RedirectStandardError = true };
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
