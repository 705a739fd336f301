using System.CommandLine;

namespace WeJepa.App.Commands;

/// <summary>
/// One benchmark under <c>wejepa bench</c> (<c>sim</c>, <c>engine</c>, …). Every implementation in
/// this assembly becomes a subcommand, so adding a benchmark is adding one file.
/// </summary>
public interface IBenchCommand
{
    Command Build();
}

/// <summary><c>wejepa bench &lt;what&gt;</c>: the parent of the discovered <see cref="IBenchCommand"/>s.</summary>
public sealed class BenchCommand : ICliCommand
{
    public Command Build()
    {
        var bench = new Command("bench", "Benchmarks against PyTorch, measured in the same run (medians and ratios).");
        var subcommands = typeof(BenchCommand).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchCommand).IsAssignableFrom(t))
            .Select(t => ((IBenchCommand)Activator.CreateInstance(t)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var sub in subcommands) bench.Subcommands.Add(sub);
        return bench;
    }
}
