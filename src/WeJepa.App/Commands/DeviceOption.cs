using WeJepa.Core.Errors;
using WeJepa.Learning.Devices;

namespace WeJepa.App.Commands;

/// <summary>The CLI's <c>--device auto|cpu|cuda</c>: text to the engine's typed <see cref="DeviceOptions"/>, and engine errors to exit codes.</summary>
public static class DeviceOption
{
    /// <summary>The values the option accepts.</summary>
    public static readonly string[] Names = ["auto", "cpu", "cuda"];

    /// <summary>Parses the option's value; anything else is a UserError (exit 2) naming it.</summary>
    public static DeviceKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceKind.Auto,
        "cpu" => DeviceKind.Cpu,
        "cuda" => DeviceKind.Cuda,
        _ => throw new UserError($"--device: unknown value '{text}' (expected auto, cpu or cuda)"),
    };

    /// <summary>Opens the device named by the option's value (and the CPU BLAS choice); a machine that cannot is a UserError with exit 3 (missing dependency).</summary>
    public static Device Open(string text, BlasBackend blas = BlasBackend.Auto)
    {
        var kind = Parse(text);
        try { return Device.Create(new DeviceOptions(kind, blas)); }
        catch (DeviceUnavailableError e)
        {
            throw new UserError($"--device {text.Trim()}: {e.Message}", ExitCodes.MissingDependency, e);
        }
    }
}
