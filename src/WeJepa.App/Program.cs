using System.CommandLine;
using System.Reflection;
using Spectre.Console;
using WeJepa.App.Commands;
using WeJepa.Core.Errors;

namespace WeJepa.App;

public static class Program
{
    public static int Main(string[] args) => Run(args);

    /// <summary>Parses and runs one command line; the entry point the end-to-end tests call too.</summary>
    public static int Run(string[] args)
    {
        var root = BuildRoot();
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (UserError e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("cancelled");
            return 130;
        }
        catch (Exception e)
        {
            AnsiConsole.WriteException(e);
            return ExitCodes.Internal;
        }
    }

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("WeJepa.Sim: batched pendulum simulation, rendering and JEPA / LNN / HNN learning.");
        var verbs = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var verb in verbs) root.Subcommands.Add(verb);
        return root;
    }
}
