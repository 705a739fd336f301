using System.CommandLine;

namespace WeJepa.App.Commands;

/// <summary>One trainer under <c>wejepa train</c> (<c>dynamics</c>, …); every implementation in this assembly becomes a subcommand.</summary>
public interface ITrainCommand
{
    Command Build();
}

/// <summary><c>wejepa train &lt;what&gt;</c>: the parent of the discovered <see cref="ITrainCommand"/>s.</summary>
public sealed class TrainCommand : ICliCommand
{
    public Command Build()
    {
        var train = new Command("train", "Train a model (checkpoints, metrics.jsonl, loss chart, exact resume).");
        var subcommands = Subcommands.Discover<ITrainCommand>(c => c.Build());
        foreach (var sub in subcommands) train.Subcommands.Add(sub);
        return train;
    }
}
