using System.Text.Json.Nodes;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

public class TrainLoopTests : TempFolderTest
{
    /// <summary>A loop small enough for seconds: a 4-step JEPA, 4 episodes per round, a 16-wide HNN.</summary>
    internal static readonly string[] Tiny =
    [
        "--set", "encoder.steps=4", "--set", "encoder.batch_size=4", "--set", "episodes.per_round=4", "--set", "episodes.frames=40",
        "--set", "episodes.evaluation=2", "--set", "episodes.fit_frames=25", "--set", "episodes.horizon=50", "--set", "smoothing.window=11",
        "--set", "dynamics.hidden=16", "--set", "dynamics.steps_per_round=20", "--set", "dynamics.baselines=false",
    ];

    static (int, string, string) Loop(string outDir, int rounds, bool resume = false) =>
        Cli.Run([ "train", "loop", "--config", "quick", .. Tiny, "--set", $"episodes.rounds={rounds}", "--out", outDir, .. (resume ? new[] { "--resume" } : []) ]);

    [Test]
    public void AResumedRunLogsTheUninterruptedRunsMetricsAndNoFrameCrossesToTheHost()
    {
        var (whole, parts) = (Path.Combine(Dir, "whole"), Path.Combine(Dir, "parts"));
        Assert.That(Loop(whole, 2).Item1, Is.EqualTo(0));
        Assert.That(Loop(parts, 1).Item1, Is.EqualTo(0));
        var (code, stdout, stderr) = Loop(parts, 2, resume: true);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain("round 2:"));

        var expected = File.ReadAllLines(Path.Combine(whole, "metrics.jsonl"));
        Assert.That(expected, Has.Length.EqualTo(2));
        Assert.That(File.ReadAllLines(Path.Combine(parts, "metrics.jsonl")), Is.EqualTo(expected), "every number of both rounds, bit for bit");
        foreach (var line in expected)
        {
            var m = JsonNode.Parse(line)!;
            Assert.That(m["frame_host_bytes_per_step"]!.GetValue<double>(), Is.Zero, line);
            Assert.That(m["host_bytes_per_step"]!.GetValue<double>(), Is.GreaterThan(0).And.LessThan(m["frame_batch_bytes"]!.GetValue<double>()), line);
        }
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(parts, "loop.json")))!["rounds_done"]!.GetValue<int>(), Is.EqualTo(1));

        // fewer rounds would leave the dynamics checkpoint ahead of the last one
        (code, _, stderr) = Loop(parts, 1, resume: true);
        Assert.That((code, stderr.Trim()), Is.EqualTo((2, $"error: episodes.rounds = 1: {Path.Combine(parts, "config.yaml")} has 2; a resumed run keeps its rounds or adds more")));
        Assert.That(File.ReadAllLines(Path.Combine(parts, "metrics.jsonl")), Is.EqualTo(expected));
    }

    [Test]
    public void AnExistingRunIsNotOverwrittenAndAnotherConfigIsNotResumed()
    {
        var run = Path.Combine(Dir, "run");
        Assert.That(Loop(run, 1).Item1, Is.EqualTo(0));
        var before = File.ReadAllText(Path.Combine(run, "metrics.jsonl"));
        var (code, _, stderr) = Loop(run, 1);
        Assert.That((code, stderr.Trim()), Is.EqualTo((2, $"error: {run}: already holds a loop run (loop.json); pass --resume to continue it or choose another --out")));
        (code, _, stderr) = Cli.Run([ "train", "loop", "--config", "quick", .. Tiny, "--set", "smoothing.window=13", "--out", run, "--resume" ]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("the run was started with another config"));
        Assert.That(File.ReadAllText(Path.Combine(run, "metrics.jsonl")), Is.EqualTo(before));
    }
}
