using System.Globalization;
using System.Text.RegularExpressions;
using WeJepa.Core.Errors;
using WeJepa.Training.Distributed;

namespace WeJepa.App.Tests.Distributed;

/// <summary>The Open MPI gradient reducer between two local ranks, through <c>wejepa bench mpi</c>.</summary>
public class MpiReducerTests
{
    [Test]
    public void TwoRanksAverageTheFloatsAndSumTheDoubles()
    {
        const int n = 1000;
        var (code, stdout, stderr) = Mpirun.Run(2, TimeSpan.FromSeconds(120), "bench", "mpi", "--floats", n.ToString(), "--repeats", "2");
        Assert.That(code, Is.Zero, stdout + stderr);
        // Rank r holds (r + 1)·(i + 1): the mean over ranks 1 and 2 is 1.5·(i + 1); the doubles (r + 1, 1) sum to (3, 2).
        var lines = Regex.Matches(stdout, @"rank (\d)/(\d): average\[0\.\.\] = (\S+) (\S+) (\S+) (\S+); average\[(\d+)\] = (\S+); sum = (\S+) (\S+)");
        Assert.That(lines.Select(m => m.Groups[1].Value).Order(), Is.EqualTo(new[] { "0", "1" }), stdout);
        foreach (Match m in lines)
        {
            double Value(int group) => double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);
            Assert.That(m.Groups[2].Value, Is.EqualTo("2"));
            Assert.That(new[] { Value(3), Value(4), Value(5), Value(6) }, Is.EqualTo(new[] { 1.5, 3.0, 4.5, 6.0 }));
            Assert.That(Value(8), Is.EqualTo(1.5 * n));
            Assert.That(new[] { Value(9), Value(10) }, Is.EqualTo(new[] { 3.0, 2.0 }));
        }
        Assert.That(stdout, Does.Match(@"all-reduce average of 1000 floats over 2 ranks: median \d"));
    }

    [Test]
    public void OneRankIsItsOwnAverage()
    {
        var (code, stdout, stderr) = Mpirun.Run(1, TimeSpan.FromSeconds(120), "bench", "mpi", "--floats", "3", "--repeats", "1");
        Assert.That(code, Is.Zero, stdout + stderr);
        Assert.That(stdout, Does.Contain("rank 0/1: average[0..] = 1 2 3; average[2] = 3; sum = 1 1"));
    }

    [Test]
    public void OutsideMpirunThereIsOneProcessAndBenchMpiRefuses()
    {
        Assume.That(GradientReducers.UnderMpirun, Is.False, "the test host itself runs under mpirun");
        using var reducer = GradientReducers.ForThisProcess();
        Assert.That(reducer, Is.InstanceOf<SingleProcess>());
        var (code, _, stderr) = Cli.Run("bench", "mpi", "--floats", "8");
        Assert.That(code, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(stderr, Does.Contain("not started by mpirun"));
    }
}
