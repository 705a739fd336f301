using System.Diagnostics;
using System.Text.Json;
using WeJepa.Core.Errors;

namespace WeJepa.App.Commands;

/// <summary>
/// How a PyTorch process is started: as installed, or with the environment that makes Debian's torch fastest here.
/// As installed, torch's OpenMP threads spin against OpenBLAS's own pthreads; OMP_WAIT_POLICY=PASSIVE stops the
/// spinning, and Debian's OpenMP build of OpenBLAS (libopenblas0-openmp, put first by LD_LIBRARY_PATH for that process
/// only) shares one thread pool with torch.
/// </summary>
public sealed record PyTorchSetting(string Name, IReadOnlyDictionary<string, string> Environment)
{
    public const string OpenMpOpenBlasFolder = "/usr/lib/x86_64-linux-gnu/openblas-openmp";

    public static readonly PyTorchSetting AsInstalled = new("as installed", new Dictionary<string, string>());

    /// <summary>As installed first, then each faster setting this machine can run.</summary>
    public static IReadOnlyList<PyTorchSetting> Available()
    {
        var passive = new Dictionary<string, string> { ["OMP_WAIT_POLICY"] = "PASSIVE" };
        List<PyTorchSetting> settings = [AsInstalled, new("OMP_WAIT_POLICY=PASSIVE", passive)];
        if (Directory.Exists(OpenMpOpenBlasFolder))
            settings.Add(new("PASSIVE + OpenMP OpenBLAS", new Dictionary<string, string>(passive) { ["LD_LIBRARY_PATH"] = OpenMpOpenBlasFolder }));
        return settings;
    }
}

/// <summary>
/// PyTorch's side of <c>wejepa bench engine</c>: tools/reference/torch_engine_bench.py kept running with
/// /usr/bin/python3 (Debian's python3-torch) in <c>--serve</c> mode under one <see cref="PyTorchSetting"/>, timing one
/// run per request, so each of its runs sits right next to one of ours (the shared machine's load drifts; neighbours
/// see the same load).
/// </summary>
public sealed class BenchEngineReference : IDisposable
{
    public const string Script = "tools/reference/torch_engine_bench.py";

    readonly Process process;
    readonly string script;

    /// <summary>"PyTorch 1.13 on cpu, 2 CPU threads, OpenBLAS /usr/lib/…".</summary>
    public string Description { get; }

    public PyTorchSetting Setting { get; }

    /// <summary>Starts <paramref name="scriptPath"/> (a script speaking torch_engine_bench's protocol, <see cref="Script"/> by default) with <paramref name="extraArguments"/>.</summary>
    public BenchEngineReference(int threads, bool cuda, PyTorchSetting setting, string scriptPath = Script, IEnumerable<string>? extraArguments = null)
    {
        Setting = setting;
        script = FindScript(scriptPath);
        if (!File.Exists(BenchSupport.Python))
            throw new UserError($"{BenchSupport.Python} not found: install python3-torch (or pass --no-reference)", ExitCodes.MissingDependency);
        var psi = new ProcessStartInfo(BenchSupport.Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, "--serve", "--threads", threads.ToString(), "--device", cuda ? "cuda" : "cpu" }.Concat(extraArguments ?? []))
            psi.ArgumentList.Add(a);
        foreach (var (name, value) in setting.Environment) psi.Environment[name] = value;
        process = Process.Start(psi)!;
        var header = Reply("start-up");
        Description = $"PyTorch {header.GetProperty("torch").GetString()} on {header.GetProperty("device").GetString()}, " +
                      $"{header.GetProperty("threads").GetInt32()} CPU threads, {header.GetProperty("blas").GetString()}";
    }

    /// <summary>Milliseconds of one PyTorch run of <paramref name="workload"/> (sgemm | sgemm_onednn | layer | hnn).</summary>
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
    static string FindScript(string relative)
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
        throw new UserError($"{relative} not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory} (run from the repository, or pass --no-reference)",
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
