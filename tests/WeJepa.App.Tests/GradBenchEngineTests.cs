namespace WeJepa.App.Tests;

/// <summary><c>wejepa bench engine</c> runs every workload and prints its table (timings are never asserted).</summary>
public class GradBenchEngineTests
{
    [Test]
    public void BenchEngineRunsEveryWorkloadWithoutReference()
    {
        var (code, stdout, stderr) = Cli.Run(["bench", "engine", "--repeats", "1", "--warmup", "0", "--device", "cpu", "--blas", "openblas", "--no-reference"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("sgemm OpenBLAS").And.Contain("4096x384x384").And.Contain("layer fwd+bwd").And.Contain("HNN train step").And.Contain("where our time goes"));
        Assert.That(stdout, Does.Contain("BLAS OpenBLAS (libopenblas.so.0)"), "the backend that ran is reported");
        Assert.That(Cli.Run(["bench", "engine", "--repeats", "0"]).Code, Is.EqualTo(2));
        Assert.That(Cli.Run(["bench", "engine", "--blas", "mkl"]).Code, Is.EqualTo(2));
    }

    [Test]
    public void BenchEngineComparesWithPyTorchInTheSameRun()
    {
        if (!File.Exists("/usr/bin/python3")) Assert.Ignore("/usr/bin/python3 (python3-torch) is not installed");
        var (code, stdout, stderr) = Cli.Run(["bench", "engine", "--repeats", "1", "--warmup", "0", "--device", "cpu"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Match(@"layer fwd\+bwd\s*│\s*[0-9.]+ ms\s*│\s*[0-9.]+ ms\s*│\s*[0-9.]+x"));
        Assert.That(stdout, Does.Contain("PyTorch setting 1 'as installed'").And.Contain("PyTorch setting 2 'OMP_WAIT_POLICY=PASSIVE'"));
    }
}
