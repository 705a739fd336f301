namespace WeJepa.Core.Errors;

/// <summary>
/// A problem the user can fix (bad input, a missing package, an unwritable folder). The CLI prints
/// <see cref="Exception.Message"/> alone — no stack trace — and exits with <see cref="ExitCode"/>.
/// </summary>
public class UserError(string message, int exitCode = ExitCodes.BadInput, Exception? inner = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The process exit codes of the <c>wejepa</c> CLI, in one place.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>Unexpected internal failure (a bug): the stack trace is printed.</summary>
    public const int Internal = 1;
    /// <summary>Bad input: a scene, an option, a file the user gave.</summary>
    public const int BadInput = 2;
    /// <summary>A required piece of the machine is missing (Vulkan driver, glslc, OpenBLAS).</summary>
    public const int MissingDependency = 3;
    /// <summary>Training diverged (NaN/Inf); the last good checkpoint was kept.</summary>
    public const int Diverged = 4;
}
