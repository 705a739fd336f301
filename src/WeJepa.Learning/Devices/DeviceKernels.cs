using ILGPU;

namespace WeJepa.Learning.Devices;

/// <summary>Kernels the device itself needs (buffer fill).</summary>
public static class DeviceKernels
{
    /// <summary>out[i] = value. out is (n).</summary>
    [Kernel]
    public static void Fill(int n, float value, ArrayView<float> output)
    {
        for (int i = GridStride.Start; i < n; i += GridStride.Step) output[i] = value;
    }
}
