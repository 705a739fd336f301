namespace WeJepa.Learning;

/// <summary>
/// The element type of a tensor. Only float32 tensors take part in differentiation; int32 holds indices, masks and
/// labels, uint8 holds frames as the simulator renders them.
/// </summary>
public enum DType
{
    Float32,
    Int32,
    UInt8,
}

public static class DTypes
{
    public static int Size(this DType type) => type switch
    {
        DType.Float32 or DType.Int32 => 4,
        DType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown dtype"),
    };

    /// <summary>The lower-case name PyTorch prints ("float32", "int32", "uint8").</summary>
    public static string Name(this DType type) => type.ToString().ToLowerInvariant();
}
