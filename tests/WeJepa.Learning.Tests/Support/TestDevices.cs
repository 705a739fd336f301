using WeJepa.Learning.Devices;

namespace WeJepa.Learning.Tests.Support;

/// <summary>Which device (and which CPU path) a test fixture instance runs on.</summary>
public enum DeviceSpec
{
    /// <summary>CPU accelerator, ops on their SIMD host path.</summary>
    Cpu,
    /// <summary>CPU accelerator, ops forced through their ILGPU kernels.</summary>
    CpuKernels,
    /// <summary>CUDA: ignored when no GPU is present.</summary>
    Cuda,
}

/// <summary>One device per kind for the whole test run: ILGPU compiles each kernel once per accelerator.</summary>
public static class TestDevices
{
    static readonly Lazy<Device> cpu = new(() => Device.Create(DeviceKind.Cpu));
    static readonly Lazy<Device?> cuda = new(() =>
    {
        try { return Device.Create(DeviceKind.Cuda); }
        catch (Exception) { return null; }
    });

    public static Device Cpu => cpu.Value;

    /// <summary>The CUDA device, or null without a GPU.</summary>
    public static Device? Cuda => cuda.Value;

    public static Device For(DeviceSpec spec)
    {
        if (spec != DeviceSpec.Cuda) return Cpu;
        return Cuda ?? throw new IgnoreException("no CUDA GPU on this machine");
    }
}
