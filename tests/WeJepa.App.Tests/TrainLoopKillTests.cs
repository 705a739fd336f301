using System.Diagnostics;
using System.Text.Json.Nodes;
using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests;

/// <summary>
/// <c>wejepa train loop</c> (3 rounds) killed with SIGKILL at three points — as round 2 starts, in the middle of a dynamics
/// checkpoint write (round 2 or 3), and after round 2's checkpoint but before the round is logged (the checkpoint then
/// holds round 2's model while <c>loop.json</c> still says round 1) — then resumed: every logged number, every printed round,
/// the dynamics log and weights equal the uninterrupted run's bit for bit, and no temporary file is left.
/// </summary>
public class TrainLoopKillTests : TempFolderTest
{
    public enum Kill { DuringRoundTwo, MidCheckpointWrite, AfterTheCheckpointBeforeTheLog }

    const int StepsPerRound = 20, Attempts = 5;

    /// <summary>TrainLoopTests' tiny loop, 3 rounds, with a 512-wide HNN: checkpoints of some MB and a scoring that takes a moment, so the child can be caught in both.</summary>
    static readonly string[] Args =
        ["train", "loop", "--config", "quick", .. TrainLoopTests.Tiny, "--set", "dynamics.hidden=512", "--set", "episodes.rounds=3"];

    /// <summary>The uninterrupted run, once for the three cases: its folder and what it printed.</summary>
    string whole = "", wholeOut = "";

    [OneTimeSetUp]
    public void RunTheUninterruptedLoop()
    {
        whole = Directory.CreateTempSubdirectory("wejepa-test-whole").FullName;
        var (code, stdout, stderr) = Cli.Run([.. Args, "--out", whole]);
        Assert.That(code, Is.Zero, stderr);
        wholeOut = stdout;
    }

    [OneTimeTearDown]
    public void DeleteTheUninterruptedLoop()
    {
        if (whole.Length > 0) Directory.Delete(whole, recursive: true);
    }

    [TestCase(Kill.DuringRoundTwo)]
    [TestCase(Kill.MidCheckpointWrite)]
    [TestCase(Kill.AfterTheCheckpointBeforeTheLog)]
    public void AKilledLoopResumesToTheUninterruptedRunsMetricsBitForBit(Kill at)
    {
        var killed = Path.Combine(Dir, "killed");

        var dynamics = Path.Combine(killed, "dynamics");
        bool Torn() => Directory.Exists(dynamics) && Directory.EnumerateFiles(dynamics, $".*.safetensors{AtomicFile.TempMarker}*").Any();
        // checked as the trigger and again once the child is dead (a write may have finished in between: then another try)
        bool Caught() => at switch
        {
            Kill.DuringRoundTwo => RoundsDone(killed) == 0,
            Kill.MidCheckpointWrite => RoundsDone(killed) is 0 or 1 && Torn(),
            _ => RoundsDone(killed) == 0 && CheckpointStep(dynamics) == 2 * StepsPerRound,
        };
        bool caught = false;
        int attempt = 0;
        for (; attempt < Attempts && !caught; attempt++)
        {
            if (Directory.Exists(killed)) Directory.Delete(killed, recursive: true);
            using var child = Cli.StartChild([.. Args, "--out", killed]);
            var clock = Stopwatch.StartNew();
            while (!Caught() && !child.HasExited)
                Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(180), $"timed out waiting for the kill point ({at})");
            if (!child.HasExited) child.Kill();
            child.WaitForExit();
            caught = Caught();
        }
        Assert.That(caught, Is.True, $"the kill point ({at}) was not caught in {Attempts} runs");
        TestContext.Out.WriteLine($"{at}: killed in run {attempt} of at most {Attempts}, rounds done {RoundsDone(killed) + 1}, dynamics checkpoint at step {CheckpointStep(dynamics)}");

        var (code, stdout, stderr) = Cli.Run([.. Args, "--out", killed, "--resume"]);
        Assert.That(code, Is.Zero, stderr);
        Assert.That(File.ReadAllLines(Path.Combine(killed, "metrics.jsonl")), Is.EqualTo(File.ReadAllLines(Path.Combine(whole, "metrics.jsonl"))),
            "every number of the three rounds, bit for bit");
        Assert.That(Rounds(wholeOut), Has.Length.EqualTo(3));
        Assert.That(Rounds(stdout), Is.EqualTo(Rounds(wholeOut)), "the rounds it did not redo are printed as logged");
        Assert.That(File.ReadAllLines(Path.Combine(dynamics, "metrics.jsonl")), Is.EqualTo(File.ReadAllLines(Path.Combine(whole, "dynamics", "metrics.jsonl"))),
            "the dynamics log once, without the killed tail");
        foreach (var file in new[] { "checkpoint.safetensors", "model.safetensors" })
            Assert.That(File.ReadAllBytes(Path.Combine(dynamics, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(whole, "dynamics", file))), file);
        Assert.That(Directory.EnumerateFiles(killed, $".*{AtomicFile.TempMarker}*", SearchOption.AllDirectories), Is.Empty, "the resume cleared the torn writes");
        Assert.That(RoundsDone(killed), Is.EqualTo(2));
    }

    /// <summary>rounds_done of <c>loop.json</c>, −1 before it exists.</summary>
    static int RoundsDone(string run)
    {
        var path = Path.Combine(run, "loop.json");
        return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!["rounds_done"]!.GetValue<int>() : -1;
    }

    /// <summary>The step of the dynamics checkpoint, −1 before one exists (the file is replaced by rename, so a read never sees half of one).</summary>
    static long CheckpointStep(string dynamics)
    {
        var path = Path.Combine(dynamics, "checkpoint.safetensors");
        return File.Exists(path) ? long.Parse(Safetensors.Read(path).Metadata["step"]) : -1;
    }

    static string[] Rounds(string stdout) => stdout.Split('\n').Where(l => l.StartsWith("round ", StringComparison.Ordinal)).ToArray();
}
