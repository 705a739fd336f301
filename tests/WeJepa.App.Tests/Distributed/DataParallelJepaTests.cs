using System.Text.Json.Nodes;
using WeJepa.TestSupport;

namespace WeJepa.App.Tests.Distributed;

/// <summary>
/// <c>mpirun -np 2 wejepa train jepa</c>: two ranks of b samples each train as one process on the 2b batch (within float rounding: the
/// sums run in another order)
/// (the gradients are averaged over the ranks, the masks drawn for the whole batch), and a run stopped and resumed
/// under mpirun continues as the uninterrupted one.
/// </summary>
public class DataParallelJepaTests : TempFolderTest
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    string[] Train(string run, string kind, int steps, bool resume = false) =>
    [
        "train", "jepa", "--config", "tiny", "--set", $"model.kind={kind}", "--set", $"model.loss={(kind == "vjepa" ? "mse" : "smooth_l1")}", "--set", "data.batch_size=8", "--set", "optimizer.steps=6",
        "--set", "hardware.checkpoint_every=2", "--steps", steps.ToString(), "--out", Path.Combine(Dir, run), "--device", "cpu", .. resume ? new[] { "--resume" } : [],
    ];

    List<(long Step, double Loss, double GradNorm)> Losses(string run) =>
        File.ReadAllLines(Path.Combine(Dir, run, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!)
            .Where(j => j["loss"] is not null)
            .Select(j => (j["step"]!.GetValue<long>(), j["loss"]!.GetValue<double>(), j["grad_norm"]!.GetValue<double>())).ToList();

    [TestCase("ijepa")]
    [TestCase("vjepa")]
    public void TwoRanksOfFourEqualOneProcessOfEight(string kind)
    {
        Mpirun.RequireOpenMpi();
        var (code, _, err) = Cli.Run(Train("one", kind, 4));
        Assert.That(code, Is.Zero, err);
        var (mpiCode, stdout, stderr) = Mpirun.Run(2, Timeout, Train("two", kind, 4));
        Assert.That(mpiCode, Is.Zero, stdout + stderr);
        var (one, two) = (Losses("one"), Losses("two"));
        Assert.That(two.Select(l => l.Step), Is.EqualTo(one.Select(l => l.Step)));
        Assert.That(one, Has.Count.EqualTo(4));
        for (int i = 0; i < one.Count; i++)
        {
            Assert.That(two[i].Loss, Is.EqualTo(one[i].Loss).Within(1e-4).Percent, $"loss at step {one[i].Step}");
            Assert.That(two[i].GradNorm, Is.EqualTo(one[i].GradNorm).Within(1e-3).Percent, $"gradient norm at step {one[i].Step}");
        }
        Assert.That(one[^1].Loss, Is.Not.EqualTo(one[0].Loss), "the run must train (a constant loss proves nothing)");
    }

    [Test]
    public void ResumeUnderMpirunContinuesTheUninterruptedRun()
    {
        var (code, stdout, stderr) = Mpirun.Run(2, Timeout, Train("whole", "ijepa", 4));
        Assert.That(code, Is.Zero, stdout + stderr);
        (code, stdout, stderr) = Mpirun.Run(2, Timeout, Train("halves", "ijepa", 2));
        Assert.That(code, Is.Zero, stdout + stderr);
        (code, stdout, stderr) = Mpirun.Run(2, Timeout, Train("halves", "ijepa", 4, resume: true));
        Assert.That(code, Is.Zero, stdout + stderr);
        Assert.That(Losses("halves"), Is.EqualTo(Losses("whole")));
        Assert.That(Weights("halves"), Is.EqualTo(Weights("whole")), "the weights (the headers differ: the config names the run folder)");
    }

    /// <summary>The tensor bytes of a run's model.safetensors (after its 8-byte length and JSON header).</summary>
    byte[] Weights(string run)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, run, "model.safetensors"));
        return bytes[(8 + (int)BitConverter.ToInt64(bytes, 0))..];
    }
}
