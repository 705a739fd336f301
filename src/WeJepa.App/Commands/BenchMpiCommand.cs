using System.CommandLine;
using System.Globalization;
using WeJepa.Core.Errors;
using WeJepa.Training.Distributed;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>mpirun -np N wejepa bench mpi [--floats F] [--repeats R]</c>: the data-parallel all-reduce on its own. Every rank
/// averages F floats holding (rank + 1)·(i + 1) and sums (rank + 1, 1) as doubles, prints what it got (so a caller can
/// check the collective), and rank 0 reports the median time of the average over R repeats.
/// </summary>
public sealed class BenchMpiCommand : IBenchCommand
{
    public Command Build()
    {
        var floats = new Option<int>("--floats") { Description = "Floats per all-reduce (4 M ≈ a 16 MB gradient)", DefaultValueFactory = _ => 4 << 20 };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats (after one warm-up)", DefaultValueFactory = _ => 10 };
        var command = new Command("mpi", "The gradient all-reduce between MPI ranks (run under mpirun): each rank's results, rank 0's median time") { floats, repeats };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(floats), r = parse.GetValue(repeats);
            if (n < 1) throw new UserError($"--floats {n}: must be >= 1");
            if (r < 1) throw new UserError($"--repeats {r}: must be >= 1");
            if (!GradientReducers.UnderMpirun)
                throw new UserError("bench mpi: not started by mpirun; run it as `mpirun -np 2 wejepa bench mpi` (as root add --allow-run-as-root)");
            using var reducer = GradientReducers.ForThisProcess();
            var values = new float[n];
            for (int i = 0; i < n; i++) values[i] = (reducer.Rank + 1f) * (i + 1);
            reducer.Average(values);
            Span<double> sums = [reducer.Rank + 1, 1];
            reducer.Sum(sums);
            var head = string.Join(' ', values.Take(4).Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            Console.WriteLine($"rank {reducer.Rank}/{reducer.WorldSize}: average[0..] = {head}; average[{n - 1}] = {values[^1].ToString("R", CultureInfo.InvariantCulture)}; " +
                              $"sum = {sums[0].ToString("R", CultureInfo.InvariantCulture)} {sums[1].ToString("R", CultureInfo.InvariantCulture)}");
            var seconds = BenchSupport.Time(r, () => reducer.Average(values));
            if (reducer.Rank == 0)
            {
                double median = BenchSupport.Median(seconds);
                Console.WriteLine($"all-reduce average of {n} floats over {reducer.WorldSize} ranks: median {median * 1e3:F3} ms " +
                                  $"({n * 4.0 / median / 1e9:F2} GB/s of gradient) over {r} repeats");
            }
            return 0;
        });
        return command;
    }
}
