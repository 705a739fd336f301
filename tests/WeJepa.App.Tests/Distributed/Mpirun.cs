using System.Diagnostics;

namespace WeJepa.App.Tests.Distributed;

/// <summary>
/// Runs the <c>wejepa</c> CLI as N local Open MPI ranks (<c>mpirun -np N dotnet wejepa.dll …</c>). Tests that need it
/// are ignored, with the reason, only where Open MPI is not installed (the launcher installs <c>openmpi-bin</c> for tests).
/// </summary>
static class Mpirun
{
    const string Program = "/usr/bin/mpirun";

    public static void RequireOpenMpi()
    {
        if (!File.Exists(Program)) Assert.Ignore($"{Program} not found: Open MPI is not installed (apt-get install openmpi-bin; ./wejepa test installs it)");
    }

    /// <summary>Exit code and the ranks' stdout and stderr (mpirun forwards them) of <c>wejepa</c> on <paramref name="ranks"/> ranks.</summary>
    public static (int Code, string Out, string Err) Run(int ranks, TimeSpan timeout, params string[] args)
    {
        RequireOpenMpi();
        // As root mpirun refuses to start without --allow-run-as-root; two ranks on a machine with fewer free slots need --oversubscribe.
        var info = new ProcessStartInfo(Program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(), "dotnet", typeof(WeJepa.App.Program).Assembly.Location })
            info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mpirun -np {ranks} wejepa {string.Join(' ', args)}: no exit within {timeout.TotalSeconds} s\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
