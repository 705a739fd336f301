using System.CommandLine;
using System.Reflection;
using Spectre.Console;
using WeJepa.App.Commands;
using WeJepa.App.Terminal;
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
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && !args.Any(a => a is "--help" or "-h" or "-?"))
            {
                // Bad command lines are bad input (exit 2), reported like every other user error.
                foreach (var error in parse.Errors) Console.Error.WriteLine($"error: {Readable(error.Message)}");
                Console.Error.WriteLine($"(see: {string.Join(' ', Path(parse.CommandResult).Prepend("wejepa"))} --help)");
                return ExitCodes.BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
            return ReportInternalError(e);
        }
    }

    /// <summary>
    /// A bug, not a user error: the stack trace on the current stderr (not on the writer the static
    /// AnsiConsole saw first, which an earlier in-process run may have disposed), exit code 1.
    /// </summary>
    public static int ReportInternalError(Exception e)
    {
        Consoles.Error.WriteException(e);
        return ExitCodes.Internal;
    }

    /// <summary>The verb path of a parsed command (e.g. "scene check").</summary>
    private static IEnumerable<string> Path(System.CommandLine.Parsing.CommandResult result) =>
        result.Parent is System.CommandLine.Parsing.CommandResult parent
            ? Path(parent).Append(result.Command.Name)
            : [];

    /// <summary>System.CommandLine names CLR types in its messages; say what the user must type instead.</summary>
    private static string Readable(string message) => message
        .Replace("System.Nullable`1[System.Int32]", "integer").Replace("System.Int32", "integer")
        .Replace("System.Nullable`1[System.UInt64]", "unsigned integer").Replace("System.UInt64", "unsigned integer")
        .Replace("System.Nullable`1[System.Double]", "number").Replace("System.Double", "number");

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("WeJepa.Sim: batched pendulum simulation, rendering and JEPA / LNN / HNN learning.");
        var verbs = typeof(Program).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ICliCommand).IsAssignableFrom(t))
            .Select(t => ((ICliCommand)Activator.CreateInstance(t)!).Build())
            .OrderBy(c => c.Name, StringComparer.Ordinal);
        foreach (var verb in verbs) root.Subcommands.Add(verb);
        root.SetAction(_ => root.Parse("--help").Invoke()); // bare `wejepa` shows the verbs
        return root;
    }
}
