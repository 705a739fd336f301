using System.Diagnostics;
using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// <c>wejepa train jepa</c> end to end: the tiny smoke run, --print-config loading back, bad input (exit 2), divergence
/// (exit 4), a kill -9 in the middle of a checkpoint write, and learning measured on rendered pendulum frames.
/// </summary>
public class TrainJepaTests : TempFolderTest
{
    string Run => Path.Combine(Dir, "run");

    static (int Code, string Out, string Err) Train(params string[] args) => Cli.Run(["train", "jepa", .. args]);

    static double[] Column(string folder, string key) =>
        File.ReadAllLines(Path.Combine(folder, "metrics.jsonl")).Select(l => JsonNode.Parse(l)![key]?.GetValue<double>() ?? double.NaN).ToArray();

    [Test]
    public void TheTinyPresetTrainsOnFakeDataAndReportsThroughput()
    {
        var (code, stdout, stderr) = Train("--config", "tiny", "--out", Run);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.StartWith("step 20: loss").And.Match(@"\d+\.\d images/s \(data feeding included: \d+% of the step time\)"));
        Assert.That(stderr, Does.Contain("train jepa: ijepa (16×16, patch 4"));
        foreach (var f in new[] { "checkpoint.safetensors", "model.safetensors", "config.yaml", "metrics.jsonl", "loss.png", "collapse.png", "rank.png", "schedules.png" })
            Assert.That(File.Exists(Path.Combine(Run, f)), f);
        Assert.That(Column(Run, "images_per_s").All(v => v > 0), Is.True);
    }

    [TestCase("yaml")]
    [TestCase("json")]
    public void PrintConfigLoadsBackToTheSameConfig(string format)
    {
        var (code, printed, stderr) = Train("--config", "cifar32+conv", "--set", "optimizer.lr=3e-4", "--set", "mask.aspect_ratio=[0.5, 2]", "--print-config", format);
        Assert.That(code, Is.Zero, stderr);
        var file = Path.Combine(Dir, "config." + format);
        File.WriteAllText(file, printed);
        Assert.That(Train("--config", file, "--print-config", format).Out, Is.EqualTo(printed));
        Assert.That(Train("--config", file, "--print-config").Out, Is.EqualTo(Train("--config", "cifar32+conv", "--set", "optimizer.lr=3e-4", "--set", "mask.aspect_ratio=[0.5, 2]", "--print-config").Out));
    }

    [Test]
    public void BadConfigsExitWith2NamingFileLineKeyAndValueAndWriteNothing()
    {
        var file = Path.Combine(Dir, "bad.yaml");
        File.WriteAllText(file, "model:\n  image_size: 30\n  patch_size: 4\n");
        var (code, _, stderr) = Train("--config", file, "--out", Run);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.StartWith($"error: {file}:3:3: model.patch_size = 4: model.image_size 30 is not a multiple of it"));
        (code, _, stderr) = Train("--config", "tiny", "--set", "data.batch_size=many", "--out", Run);
        Assert.That((code, stderr), Is.EqualTo((ExitCodes.BadInput, "error: --set: data.batch_size = \"many\": expected an integer\n")));
        Assert.That(Directory.Exists(Run), Is.False);
    }

    [Test]
    public void ANonFiniteLossExitsWith4()
    {
        var (code, _, stderr) = Train("--config", "tiny", "--set", "optimizer.lr=1e30", "--set", "optimizer.start_lr=1e30", "--set", "optimizer.clip_grad=0",
            "--set", "hardware.checkpoint_every=1", "--out", Run);
        Assert.That(code, Is.EqualTo(ExitCodes.Diverged), stderr);
        // which non-finite value comes first (NaN or −∞ from an overflowing product) depends on the CPU's GEMM kernels
        Assert.That(stderr, Does.Contain("training diverged at step 2").And.Match("produced (NaN|-?Infinity) at element").And.Contain("last good checkpoint (step 1)"));
        Assert.That(Safetensors.Read(Path.Combine(Run, "checkpoint.safetensors")).Metadata["step"], Is.EqualTo("1"));
    }

    [Test]
    public void AKillDuringACheckpointWriteLeavesThePreviousOneAndTheResumeMatchesAnUninterruptedRun()
    {
        // D 96: checkpoints of some MB, written every step, so the child can be caught in the middle of one
        string[] args = ["train", "jepa", "--config", "tiny", "--set", "model.embed_dim=96", "--set", "optimizer.steps=6", "--set", "hardware.checkpoint_every=1"];
        var whole = Path.Combine(Dir, "whole");
        Assert.That(Cli.Run([.. args, "--out", whole]).Code, Is.Zero);

        using (var child = Cli.StartChild([.. args, "--out", Run]))
        {
            var clock = Stopwatch.StartNew();
            while (!Directory.Exists(Run) || !File.Exists(Path.Combine(Run, "checkpoint.safetensors")) || !Directory.EnumerateFiles(Run, ".checkpoint*.tmp-*").Any())
            {
                Assert.That(child.HasExited, Is.False, "the child finished before it could be killed during a checkpoint write");
                Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(120), "timed out waiting for a checkpoint write");
            }
            child.Kill();
            child.WaitForExit();
        }
        Assert.That(Directory.EnumerateFiles(Run, ".checkpoint*.tmp-*").Any(), Is.True, "the kill interrupted a write");
        var kept = Safetensors.Read(Path.Combine(Run, "checkpoint.safetensors"));
        Assert.That(long.Parse(kept.Metadata["step"]), Is.InRange(1, 5), "the previous checkpoint is whole");

        var (code, _, stderr) = Cli.Run([.. args, "--out", Run, "--resume"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(Column(Run, "loss"), Is.EqualTo(Column(whole, "loss")), "bit for bit");
        Assert.That(Column(Run, "step"), Is.EqualTo(Enumerable.Range(1, 6).Select(i => (double)i)));
        Assert.That(Directory.EnumerateFiles(Run, ".*tmp-*"), Is.Empty, "the resume cleared the torn write");
    }

    [Test]
    public void TheTinyIjepaLearnsOnRenderedPendulumFramesWithoutCollapsing()
    {
        var scene = Path.Combine(Dir, "p16.yaml");
        File.WriteAllText(scene, File.ReadAllText(Cli.Scene("pendulum.yaml")).Replace("width: 64", "width: 16").Replace("height: 64", "height: 16")
            .Replace("rod_width: 0.04", "rod_width: 0.15").Replace("bob_radius: 0.12", "bob_radius: 0.3"));
        var data = Path.Combine(Dir, "data");
        Assert.That(Cli.Run("generate", "--scene", scene, "--episodes", "16", "--steps", "40", "--reference", "--out", data).Code, Is.Zero);
        var (code, _, stderr) = Train("--config", "tiny", "--set", "data.source=dataset", "--set", $"data.path={data}", "--set", "data.validation_fraction=0.2",
            "--set", "optimizer.steps=60", "--set", "hardware.log_every=5", "--set", "hardware.checkpoint_every=30", "--out", Run);
        Assert.That(code, Is.Zero, stderr);
        var (loss, validation) = (Column(Run, "loss"), Column(Run, "val_loss").Where(double.IsFinite).ToArray());
        var (std, rank) = (Column(Run, "feature_std_teacher"), Column(Run, "effective_rank_teacher"));
        TestContext.Out.WriteLine($"loss {loss[0]:F4} → {loss[^1]:F4}, validation {string.Join(" → ", validation.Select(v => v.ToString("F4")))}, teacher std {std[0]:F4} → {std[^1]:F4}, rank {rank[0]:F2} → {rank[^1]:F2}");
        Assert.That(loss.TakeLast(3).Average(), Is.LessThan(0.6 * loss.Take(3).Average()), "the training loss falls");
        Assert.That(validation, Has.Length.EqualTo(2));
        Assert.That(validation[1], Is.LessThan(validation[0]), "and so does the validation loss (held-out episodes)");
        Assert.That(std[^1], Is.GreaterThan(0.5 * std[0]), "the teacher's features keep their spread");
        Assert.That(rank[^1], Is.GreaterThan(2), "and vary along several directions");
    }

    [TestCase("ijepa")]
    [TestCase("video-jepa")]
    public void TrainsOnALiveSceneThroughTheSimulator(string kind)
    {
        var scene = Path.Combine(Dir, "p16.yaml");
        File.WriteAllText(scene, File.ReadAllText(Cli.Scene("pendulum.yaml")).Replace("width: 64", "width: 16").Replace("height: 64", "height: 16"));
        var (code, stdout, stderr) = Train("--config", "tiny", "--set", "data.source=live", "--set", $"data.scene={scene}", "--set", $"model.kind={kind}",
            "--set", "optimizer.steps=3", "--out", Run);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stderr, Does.Contain($"on live data, batch 8×{(kind == "ijepa" ? 1 : 2)} frames"));
        Assert.That(stdout, Does.StartWith("step 3: loss").And.Contain("validation loss"));
    }

    [Test]
    public void FramesOfAnotherSizeThanTheModelsAreAnError()
    {
        var (code, _, stderr) = Train("--config", "tiny", "--set", "data.source=live", "--set", $"data.scene={Cli.Scene("pendulum.yaml")}", "--out", Run);
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.EndWith("error: preset tiny: model.image_size = 16: the data's frames are 64×64\n"));
        Assert.That(Directory.Exists(Run), Is.False, "refused before anything is written");
    }

}
