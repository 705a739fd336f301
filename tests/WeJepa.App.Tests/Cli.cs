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
}
