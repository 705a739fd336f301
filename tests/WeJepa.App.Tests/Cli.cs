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

    /// <summary>Starts the CLI as a child process (for kill -9 tests), its output drained and discarded.</summary>
    public static System.Diagnostics.Process StartChild(IEnumerable<string> args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var a in args) info.ArgumentList.Add(a);
        var process = System.Diagnostics.Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static string Scene(string name) => Path.Combine(AppContext.BaseDirectory, "scenes", name);
}
