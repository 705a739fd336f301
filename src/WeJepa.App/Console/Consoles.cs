using Spectre.Console;

namespace WeJepa.App.Terminal;

/// <summary>
/// Spectre consoles bound to the current <see cref="System.Console.Out"/> / <see cref="System.Console.Error"/>.
/// The static <c>AnsiConsole</c> keeps the first writer it saw, which in-process tests redirect and dispose,
/// so every write goes through a console created at the moment of writing instead.
/// </summary>
public static class Consoles
{
    public static IAnsiConsole Out => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Out) });

    public static IAnsiConsole Error => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(System.Console.Error) });
}
