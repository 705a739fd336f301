using System.Diagnostics;
using System.Text.Json;
using WeJepa.Core.Errors;

namespace WeJepa.App.Commands;

/// <summary>PyTorch's timings for <c>wejepa bench engine</c>, from tools/reference/torch_engine_bench.py run in the same session.</summary>
public sealed record BenchEngineReference(string Torch, int Threads, double SgemmMs, double SgemmGFlops, double LayerMs, double HnnStepMs)
{
    public const string Script = "tools/reference/torch_engine_bench.py";
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs the script with /usr/bin/python3 (Debian's python3-torch) and parses its JSON line.</summary>
    public static BenchEngineReference Measure(int repeats, int warmup, int threads)
    {
        var script = FindScript();
        if (!File.Exists(Python))
            throw new UserError($"{Python} not found: install python3-torch (or pass --no-reference)", ExitCodes.MissingDependency);
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "--repeats", repeats.ToString(), "--warmup", warmup.ToString(), "--threads", threads.ToString() })
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
            return new(json.GetProperty("torch").GetString()!, json.GetProperty("threads").GetInt32(), json.GetProperty("sgemm_ms").GetDouble(),
                json.GetProperty("sgemm_gflops").GetDouble(), json.GetProperty("layer_ms").GetDouble(), json.GetProperty("hnn_step_ms").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new UserError($"{script} printed unexpected output ({e.Message}): {stdout.Result.Trim()}", ExitCodes.Internal);
        }
    }

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
