using System.CommandLine;

namespace WeJepa.App.Commands;

/// <summary>
/// One benchmark under <c>wejepa bench</c> (<c>sim</c>, <c>engine</c>, …). Every implementation in
/// this assembly becomes a subcommand, so adding a benchmark is adding one file.
/// </summary>
public interface IBenchCommand
{
    Command Build();
}

/// <summary><c>wejepa bench &lt;what&gt;</c>: the parent of the discovered <see cref="IBenchCommand"/>s.</summary>
public sealed class BenchCommand : ICliCommand
{
    public Command Build()
    {
        var bench = new Command("bench", "Benchmarks against PyTorch, measured in the same run (medians and ratios).");
        var subcommands = Subcommands.Discover<IBenchCommand>(c => c.Build());
        foreach (var sub in subcommands) bench.Subcommands.Add(sub);
        return bench;
    }
}

/// <summary>Shared pieces of the benchmarks: medians, and the PyTorch reference scripts run in the same process tree.</summary>
public static class BenchSupport
{
    public const string Python = "/usr/bin/python3";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("no values");
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }

    /// <summary>Seconds of each of <paramref name="repeats"/> timed calls, after one untimed warm-up call.</summary>
    public static double[] Time(int repeats, Action work)
    {
        work();
        var seconds = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            work();
            seconds[i] = clock.Elapsed.TotalSeconds;
        }
        return seconds;
    }

    /// <summary>
    /// <c>tools/reference/&lt;name&gt;</c>, searched upward from the current folder and from the binaries
    /// (the CLI runs from the repository or from <c>artifacts/bin/…</c>); null when not found.
    /// </summary>
    public static string? FindReferenceScript(string name)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "tools", "reference", name);
                if (File.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>
    /// Runs a reference script with <see cref="Python"/> and parses the JSON object it prints last on
    /// stdout. Returns null and a reason when the script, Python or PyTorch is unavailable or it fails.
    /// </summary>
    public static (System.Text.Json.Nodes.JsonNode? Json, string? Problem) RunPythonJson(string script, IEnumerable<string> args)
    {
        var path = FindReferenceScript(script);
        if (path is null) return (null, $"tools/reference/{script} not found (run from the repository)");
        if (!File.Exists(Python)) return (null, $"{Python} not found (apt-get install python3-torch)");
        var info = new System.Diagnostics.ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(path);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            return (null, $"{script} exited with {process.ExitCode}: {stderr.Result.Trim().Split('\n').LastOrDefault()}");
        var last = stdout.Trim().Split('\n').LastOrDefault() ?? "";
        try { return (System.Text.Json.Nodes.JsonNode.Parse(last), null); }
        catch (System.Text.Json.JsonException) { return (null, $"{script} printed no JSON: {last}"); }
    }
}
