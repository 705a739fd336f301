using System.CommandLine;

namespace WeJepa.App.Commands;

/// <summary>Finds every implementation of a verb interface in this assembly and builds its commands, ordered by name.</summary>
static class Subcommands
{
    public static IEnumerable<Command> Discover<T>(Func<T, Command> build) where T : class =>
        typeof(Subcommands).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(T).IsAssignableFrom(t))
            .Select(t => build((T)Activator.CreateInstance(t)!))
            .OrderBy(c => c.Name, StringComparer.Ordinal);
}
