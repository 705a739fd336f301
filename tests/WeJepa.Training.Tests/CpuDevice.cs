using WeJepa.Learning.Devices;

namespace WeJepa.Training.Tests;

/// <summary>One CPU device for the whole test run (ILGPU compiles each kernel once per accelerator).</summary>
public static class CpuDevice
{
    static readonly Lazy<Device> device = new(() => Device.Create(DeviceKind.Cpu));

    public static Device Instance => device.Value;
}
