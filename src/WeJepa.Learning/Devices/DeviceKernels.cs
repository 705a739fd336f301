using ILGPU;

namespace WeJepa.Learning.Devices;

/// <summary>Kernels the device itself needs (buffer fills, per element type).</summary>
public static class DeviceKernels
{
    /// <summary>out[i] = value. out is (n).</summary>
    [Kernel]
    public static void Fill(int n, float value, ArrayView<float> output)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) output[i] = value;
    }

    /// <summary>out[i] = value. out is (n) int32.</summary>
    [Kernel]
    public static void FillInt32(int n, int value, ArrayView<int> output)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) output[i] = value;
    }

    /// <summary>out[i] = value. out is (n) uint8.</summary>
    [Kernel]
    public static void FillUInt8(int n, byte value, ArrayView<byte> output)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) output[i] = value;
    }
}
