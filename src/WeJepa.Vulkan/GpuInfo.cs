namespace WeJepa.Vulkan;

public enum GpuType { Other, IntegratedGpu, DiscreteGpu, VirtualGpu, Cpu }

/// <summary>What a physical device is and the limits callers must respect.</summary>
public sealed record GpuInfo
{
    /// <summary>Position in the loader's enumeration; what <c>--gpu N</c> refers to.</summary>
    public required int Index { get; init; }
    public required string Name { get; init; }
    public required GpuType Type { get; init; }
    public required string ApiVersion { get; init; }
    public required uint VendorId { get; init; }
    public required uint DeviceId { get; init; }
    public required bool HasComputeQueue { get; init; }
    /// <summary>maxStorageBufferRange: the most bytes one storage-buffer binding may cover (128 MiB on lavapipe).</summary>
    public required long MaxStorageBufferRange { get; init; }
    /// <summary>minStorageBufferOffsetAlignment: a binding's offset must be a multiple of this.</summary>
    public required long StorageBufferOffsetAlignment { get; init; }
    public required int MaxPushConstantsSize { get; init; }
    /// <summary>maxComputeWorkGroupCount[0]: the most workgroups one dispatch may launch along x.</summary>
    public required long MaxWorkGroupCountX { get; init; }
    /// <summary>maxComputeWorkGroupSize[0].</summary>
    public required int MaxWorkGroupSizeX { get; init; }
    /// <summary>Size of the largest device-local memory heap.</summary>
    public required long DeviceLocalBytes { get; init; }

    public override string ToString() => $"[{Index}] {Name} ({Type}, Vulkan {ApiVersion})";
}
