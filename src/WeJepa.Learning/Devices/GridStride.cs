using ILGPU;

namespace WeJepa.Learning.Devices;

/// <summary>
/// Index helpers for grid-stride kernels: each thread starts at its global index and strides by the
/// total thread count, so a small grid (sized to the accelerator by <see cref="Device"/>) covers any
/// length. This is what makes the CPU accelerator usable (see ARCHITECTURE: one OS thread per GPU thread).
/// </summary>
public static class GridStride
{
    /// <summary>This thread's first element.</summary>
    public static int Start => Grid.GlobalIndex.X;

    /// <summary>Total number of threads in the launch.</summary>
    public static int Step => Grid.DimX * Group.DimX;
}
