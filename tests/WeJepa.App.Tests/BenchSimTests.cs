using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary><c>wejepa bench sim</c> at tiny sizes: it runs and prints its table with the ratio rows (timings are never asserted).</summary>
public class BenchSimTests
{
    static readonly string[] Tiny = ["bench", "sim", "--envs", "256", "--steps", "10", "--frames", "16", "--repeats", "1", "--generate-episodes", "2"];

    /// <summary>A table row of <paramref name="work"/> whose ours, PyTorch and ratio cells hold numbers (e.g. "│ 1.8× │").</summary>
    static string RowWithRatio(string work) => work + @"[^\n]*│[^│\n]*\d[^│\n]*│[^│\n]*\d[^│\n]*│\s*\d+(\.\d+)?×\s*│";

    [Test]
    public void BenchSimPrintsTheRatiosAgainstPyTorch()
    {
        if (!File.Exists(Python.Interpreter)) Assert.Ignore($"{Python.Interpreter} (python3-torch) is not installed");
        var (code, stdout, stderr) = Cli.Run(Tiny);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("PyTorch").And.Not.Contain("reference unavailable"), stdout);
        // Physics and both renders against both PyTorch forms (plain, strongest); generate against our render.
        foreach (var (row, count) in new[] { ("physics:", 2), ("render float32:", 2), ("render uint8:", 2), ("generate:", 1) })
            Assert.That(System.Text.RegularExpressions.Regex.Matches(stdout, RowWithRatio(row)), Has.Count.EqualTo(count), $"{row} rows\n{stdout}");
    }

    [Test]
    public void BenchSimWithoutTorchPrintsOursAndSaysTheReferenceWasSkipped()
    {
        var (code, stdout, stderr) = Cli.Run([.. Tiny, "--no-torch"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("env-steps/s").And.Contain("frames/s").And.Contain("skipped (--no-torch)"));
        Assert.That(stdout, Does.Match(RowWithRatio("generate:")), "generate is compared with our own render");
        foreach (var row in new[] { "physics:", "render float32:", "render uint8:" })
        {
            Assert.That(stdout, Does.Contain(row));
            Assert.That(stdout, Does.Not.Match(RowWithRatio(row)), "no ratio without the reference");
        }
    }
}
