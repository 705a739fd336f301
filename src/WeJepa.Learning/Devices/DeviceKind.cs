using WeJepa.Core.Errors;

namespace WeJepa.Learning.Devices;

/// <summary>Which ILGPU accelerator a <see cref="Device"/> runs on.</summary>
public enum DeviceKind
{
    /// <summary>CUDA when a GPU is present, else the CPU accelerator.</summary>
    Auto,
    Cpu,
    Cuda,
}

public static class DeviceKinds
{
    /// <summary>The values the CLI option <c>--device</c> accepts.</summary>
    public static readonly string[] Names = ["auto", "cpu", "cuda"];

    /// <summary>Parses the CLI value of <c>--device auto|cpu|cuda</c>; anything else is a UserError naming it.</summary>
    public static DeviceKind Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "auto" => DeviceKind.Auto,
        "cpu" => DeviceKind.Cpu,
        "cuda" => DeviceKind.Cuda,
        _ => throw new UserError($"--device: unknown value '{text}' (expected auto, cpu or cuda)"),
    };
}
