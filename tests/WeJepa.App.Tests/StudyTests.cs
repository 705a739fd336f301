using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// <c>wejepa study jepa --quick</c> end to end (tiny encoders, a tiny probe dataset, seconds of budget: the pipeline, not
/// the science): the report folder, study.json's numbers, the table's rows, the dataset reused by a second run, and bad
/// options refused with exit 2 before anything is written.
/// </summary>
public class StudyTests : TempFolderTest
{
    static readonly string[] Encoders = ["I-JEPA", "video JEPA", "V-JEPA (seed)"];
    /// <summary>The probe rows of each encoder: (features, pooling), pooling "—" for the raw pixels.</summary>
    static readonly (string Features, string Pooling)[] Rows =
        [("pretrained", "mean"), ("random init", "mean"), ("pretrained", "tokens"), ("random init", "tokens"), ("raw pixels", "—")];

    [Test]
    public void AQuickStudyWritesTheReportAndReusesItsDataset()
    {
        var (report, data) = (Path.Combine(Dir, "study"), Path.Combine(Dir, "data"));
        var (code, stdout, stderr) = Cli.Run("study", "jepa", "--quick", "--minutes", "0.05", "--out", report, "--data", data, "--device", "cpu");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(Directory.GetFiles(report).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "loss.png", "r2_angle.png", "r2_omega.png", "scene.yaml", "study.json", "study.md" }));
        Assert.That(Directory.GetDirectories(Path.Combine(report, "runs")).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "ijepa", "video-jepa", "vjepa" }),
            "one run per JEPA, no calibration run left behind");
        Assert.That(File.Exists(Path.Combine(data, "meta.json")), Is.True);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report, "study.json")))!;
        Assert.That(json["budget_minutes"]!.GetValue<double>(), Is.EqualTo(0.05));
        Assert.That(json["quick"]!.GetValue<bool>(), Is.True);
        var runs = json["runs"]!.AsArray();
        Assert.That(runs.Select(r => r!["name"]!.GetValue<string>()), Is.EqualTo(Encoders));
        foreach (var run in runs)
        {
            long steps = run!["steps"]!.GetValue<long>();
            Assert.That(steps, Is.GreaterThanOrEqualTo(3));
            Assert.That(run["images_seen"]!.GetValue<long>(), Is.EqualTo(steps * run["images_per_step"]!.GetValue<long>()));
            Assert.That(File.Exists(Path.Combine(run["run_dir"]!.GetValue<string>(), "model.safetensors")), Is.True);
            var t = run["throughput"]!;
            Assert.That(t["run_images_per_s"]!.GetValue<double>(), Is.GreaterThan(0));
            Assert.That(t["ratio"]!.GetValue<double>(), Is.EqualTo(t["run_images_per_s"]!.GetValue<double>() / t["bare_images_per_s"]!.GetValue<double>()).Within(1e-9));
            var probes = run["probes"]!.AsArray();
            Assert.That(probes.Select(p => (p!["features"]!.GetValue<string>(), p["pooling"]?.GetValue<string>() ?? "—")), Is.EqualTo(Rows));
            foreach (var p in probes)
                foreach (var key in new[] { "ridge_r2_angle", "ridge_r2_omega", "sgd_r2_angle", "sgd_r2_omega" })
                    Assert.That(double.IsFinite(p![key]!.GetValue<double>()), Is.True, key);
            // a win is a higher R² that is also above 0 (at or under 0 a head reads nothing)
            bool Wins(int row, string key) => probes[row]![key]!.GetValue<double>() > Math.Max(probes[row + 1]![key]!.GetValue<double>(), 0);
            foreach (var (pooling, first) in new[] { ("mean", 0), ("tokens", 2) })
                Assert.That(run["beats_random_init"]![pooling]!.GetValue<bool>(), Is.EqualTo(Wins(first, "ridge_r2_angle") && Wins(first, "ridge_r2_omega")), pooling);
            // tokens kept whole: N·D features, N·D = dim × tokens per input
            Assert.That(probes[2]!["dim"]!.GetValue<int>() % probes[0]!["dim"]!.GetValue<int>(), Is.Zero);
            Assert.That(probes[2]!["dim"]!.GetValue<int>(), Is.GreaterThan(probes[0]!["dim"]!.GetValue<int>()));
            Assert.That(run["probe_comparisons"]!.AsArray().Select(c => c!["pooling"]!.GetValue<string>()), Is.EqualTo(new[] { "mean", "tokens" }));
        }
        // the video JEPA's raw pixels are its clips: frames × 3 × H × W
        Assert.That(runs[1]!["probes"]![4]!["dim"]!.GetValue<int>(), Is.EqualTo(2 * 3 * 64 * 64));

        var markdown = File.ReadAllText(Path.Combine(report, "study.md"));
        foreach (var encoder in Encoders)
            foreach (var (features, pooling) in Rows)
            {
                Assert.That(stdout, Does.Contain($"| {encoder} | {features} | {pooling} |"), "printed table");
                Assert.That(markdown, Does.Contain($"| {encoder} | {features} | {pooling} |"), "study.md table");
            }
        Assert.That(markdown, Does.Contain($"./wejepa study jepa --out {report} --minutes 0.05 --quick --data {data}"));
        foreach (var png in new[] { "r2_angle.png", "r2_omega.png", "loss.png" })
        {
            Assert.That(markdown, Does.Contain($"({png})"), png);
            var (_, width, height) = PngFile.Load(Path.Combine(report, png));
            Assert.That(width * height, Is.GreaterThan(10_000), png);
        }

        var again = Cli.Run("study", "jepa", "--quick", "--minutes", "0.05", "--out", report, "--data", data, "--device", "cpu");
        Assert.That(again.Code, Is.Zero, again.Err);
        Assert.That(again.Err, Does.Contain($"reusing the probe dataset in {data}/"));
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(report, "study.json")))!["data_reused"]!.GetValue<bool>(), Is.True);
    }

    [TestCase("--minutes", "0", "error: --minutes 0: must be in (0, 1440]")]
    [TestCase("--minutes", "-3", "error: --minutes -3: must be in (0, 1440]")]
    [TestCase("--device", "tpu", "tpu")]
    public void ABadOptionIsExit2AndWritesNothing(string option, string value, string message)
    {
        var (code, _, stderr) = Cli.Run("study", "jepa", "--quick", option, value, "--out", Path.Combine(Dir, "study"), "--data", Path.Combine(Dir, "data"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), stderr);
        Assert.That(stderr, Does.Contain(message));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }

    [Test]
    public void AnOutFolderHoldingOtherFilesIsRefused()
    {
        var report = Path.Combine(Dir, "study");
        Directory.CreateDirectory(report);
        File.WriteAllText(Path.Combine(report, "notes.txt"), "mine");
        var (code, _, stderr) = Cli.Run("study", "jepa", "--quick", "--out", report, "--data", Path.Combine(Dir, "data"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), stderr);
        Assert.That(stderr, Does.StartWith("error: --out"));
        Assert.That(Directory.GetFileSystemEntries(report), Is.EqualTo(new[] { Path.Combine(report, "notes.txt") }));
    }

    [Test]
    public void ADoublePendulumOrADatasetInsideTheReportIsRefused()
    {
        var report = Path.Combine(Dir, "study");
        var (code, _, stderr) = Cli.Run("study", "jepa", "--quick", "--scene", Cli.Scene("double.yaml"), "--out", report, "--data", Path.Combine(Dir, "data"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), stderr);
        Assert.That(stderr, Does.Contain("simple pendulums"));
        (code, _, stderr) = Cli.Run("study", "jepa", "--quick", "--out", report, "--data", Path.Combine(report, "data"));
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput), stderr);
        Assert.That(stderr, Does.StartWith($"error: --out {report}: holds the input {Path.Combine(report, "data")}"));
        Assert.That(Directory.GetFileSystemEntries(Dir), Is.Empty);
    }
}
