using System.Diagnostics;
using System.Text.Json;
using WeJepa.Core.Errors;

namespace WeJepa.App.Commands;

/// <summary>
/// PyTorch's side of <c>wejepa bench engine</c>: tools/reference/torch_engine_bench.py kept running with
/// /usr/bin/python3 (Debian's python3-torch) in <c>--serve</c> mode, timing one run per request, so each of
/// its runs sits right next to one of ours (the shared machine's load drifts; neighbours see the same load).
/// </summary>
public sealed class BenchEngineReference : IDisposable
{
    public const string Script = "tools/reference/torch_engine_bench.py";

    readonly Process process;
    readonly string script;

    /// <summary>"PyTorch 1.13 on cpu, 2 CPU threads".</summary>
    public string Description { get; }

    public BenchEngineReference(int threads, bool cuda)
    {
        script = FindScript();
        if (!File.Exists(BenchSupport.Python))
            throw new UserError($"{BenchSupport.Python} not found: install python3-torch (or pass --no-reference)", ExitCodes.MissingDependency);
        var psi = new ProcessStartInfo(BenchSupport.Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "--serve", "--threads", threads.ToString(), "--device", cuda ? "cuda" : "cpu" })
            psi.ArgumentList.Add(a);
        process = Process.Start(psi)!;
        var header = Reply("start-up");
        Description = $"PyTorch {header.GetProperty("torch").GetString()} on {header.GetProperty("device").GetString()}, " +
                      $"{header.GetProperty("threads").GetInt32()} CPU threads";
    }

    /// <summary>Milliseconds of one PyTorch run of <paramref name="workload"/> (sgemm | layer | hnn).</summary>
    public double Time(string workload)
    {
        process.StandardInput.WriteLine(workload);
        process.StandardInput.Flush();
        return Reply(workload).GetProperty("ms").GetDouble();
    }

    JsonElement Reply(string what)
    {
        var line = process.StandardOutput.ReadLine();
        if (line is null)
        {
            process.WaitForExit();
            throw new UserError($"{script} stopped during {what} (exit {process.ExitCode}): {process.StandardError.ReadToEnd().Trim()} " +
                                "(is python3-torch installed? or pass --no-reference)", ExitCodes.MissingDependency);
        }
        try { return JsonDocument.Parse(line).RootElement.Clone(); }
        catch (JsonException e) { throw new UserError($"{script} printed '{line}' during {what}: {e.Message}", ExitCodes.Internal); }
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

    public void Dispose()
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000)) process.Kill();
        }
        finally { process.Dispose(); }
    }
}
