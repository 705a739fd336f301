using System.Diagnostics;
using System.Text.Json;
using WeJepa.Core.Errors;

namespace WeJepa.App.Commands;

/// <summary>
/// PyTorch's timings for <c>wejepa bench engine</c>: tools/reference/torch_engine_bench.py run with
/// /usr/bin/python3 (Debian's python3-torch), one workload per call so each is measured right next to ours
/// (the machine's load drifts; neighbouring measurements keep the ratio fair).
/// </summary>
public sealed class BenchEngineReference(int repeats, int warmup, int threads, bool cuda)
{
    public const string Script = "tools/reference/torch_engine_bench.py";
    public const string Python = "/usr/bin/python3";

    readonly string script = FindScript();

    /// <summary>The PyTorch version and thread count of the last run.</summary>
    public string Description { get; private set; } = "";

    /// <summary>Times <paramref name="workload"/> (sgemm | layer | hnn) and returns the JSON fields the script printed.</summary>
    public Dictionary<string, double> Run(string workload)
    {
        if (!File.Exists(Python))
            throw new UserError($"{Python} not found: install python3-torch (or pass --no-reference)", ExitCodes.MissingDependency);
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "--only", workload, "--repeats", repeats.ToString(), "--warmup", warmup.ToString(), "--threads", threads.ToString(), "--device", cuda ? "cuda" : "cpu" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new UserError($"{script} failed (exit {process.ExitCode}): {stderr.Trim()} (is python3-torch installed? or pass --no-reference)", ExitCodes.MissingDependency);
        try
        {
            var json = JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]).RootElement;
            Description = $"PyTorch {json.GetProperty("torch").GetString()} on {json.GetProperty("device").GetString()}, {json.GetProperty("threads").GetInt32()} CPU threads";
            return json.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new UserError($"{script} printed unexpected output ({e.Message}): {stdout.Result.Trim()}", ExitCodes.Internal);
        }
    }

    /// <summary>One field of a run, or an error naming the script and the field.</summary>
    public double Field(Dictionary<string, double> result, string name) => result.TryGetValue(name, out var v)
        ? v
        : throw new UserError($"{script} did not report '{name}'", ExitCodes.Internal);

    /// <summary>The script beside the repository that holds this binary (or under the current folder).</summary>
    static string FindScript()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, Script);
                if (File.Exists(candidate)) return candidate;
            }
        throw new UserError($"{Script} not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory} (run from the repository, or pass --no-reference)",
            ExitCodes.MissingDependency);
    }
}
