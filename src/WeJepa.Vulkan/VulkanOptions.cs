namespace WeJepa.Vulkan;

/// <summary>How to open the Vulkan device.</summary>
public sealed record VulkanOptions
{
    /// <summary>Environment variable that picks the GPU when <see cref="Gpu"/> is not set (index or name substring).</summary>
    public const string GpuVariable = "WEJEPA_GPU";
    /// <summary>Environment variable that enables the validation layer when set to 1/true.</summary>
    public const string ValidationVariable = "WEJEPA_VULKAN_VALIDATION";

    /// <summary>
    /// Which physical device: its index in <see cref="VulkanDevice.ListGpus"/> or a case-insensitive
    /// substring of its name (e.g. "llvmpipe", "H100"). Null: <c>$WEJEPA_GPU</c>, else the first discrete
    /// GPU, else integrated, virtual, CPU (lavapipe). The loader's own <c>VK_DRIVER_FILES</c> variable
    /// restricts which drivers are seen at all.
    /// </summary>
    public string? Gpu { get; init; }

    /// <summary>Enable <c>VK_LAYER_KHRONOS_validation</c> (when installed) and collect its messages.</summary>
    public bool Validation { get; init; }

    /// <summary>
    /// The device extension that exports buffer memory as a file descriptor (<see cref="DeviceBuffer.ExportMemoryFd"/>),
    /// for sharing with CUDA. Request it in <see cref="OptionalDeviceExtensions"/>.
    /// </summary>
    public const string ExternalMemoryFd = Extensions.ExternalMemoryFd.Extension;

    /// <summary>Device extensions to enable when the device supports them (see <see cref="VulkanDevice.HasExtension"/>).</summary>
    public IReadOnlyList<string> OptionalDeviceExtensions { get; init; } = [];

    /// <summary>Defaults, with <c>WEJEPA_GPU</c> and <c>WEJEPA_VULKAN_VALIDATION</c> applied.</summary>
    public static VulkanOptions FromEnvironment() => new VulkanOptions().WithEnvironment();

    /// <summary>Fills unset fields from the environment variables.</summary>
    public VulkanOptions WithEnvironment()
    {
        var gpu = Gpu ?? NullIfEmpty(Environment.GetEnvironmentVariable(GpuVariable));
        var validation = Validation || Environment.GetEnvironmentVariable(ValidationVariable) is "1" or "true" or "TRUE";
        return this with { Gpu = gpu, Validation = validation };
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
