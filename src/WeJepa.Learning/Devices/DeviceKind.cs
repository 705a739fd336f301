namespace WeJepa.Learning.Devices;

/// <summary>Which ILGPU accelerator a <see cref="Device"/> runs on.</summary>
public enum DeviceKind
{
    /// <summary>CUDA when a GPU is present, else the CPU accelerator.</summary>
    Auto,
    Cpu,
    Cuda,
}

/// <summary>
/// How to open a <see cref="Device"/>, as typed values: the app layer turns its command line or config into
/// these; the engine parses no text and knows no exit codes. <see cref="Blas"/> picks the CPU accelerator's GEMM backend.
/// </summary>
public sealed record DeviceOptions(DeviceKind Kind = DeviceKind.Auto, BlasBackend Blas = BlasBackend.Auto);

/// <summary>
/// The machine lacks what the asked-for device needs (no CUDA GPU, no OpenBLAS). <see cref="Dependency"/> names the
/// missing piece; the app decides what that means to its user (for the CLI: exit 3).
/// </summary>
public sealed class DeviceUnavailableError(string message, string dependency) : Exception(message)
{
    public string Dependency { get; } = dependency;
}
