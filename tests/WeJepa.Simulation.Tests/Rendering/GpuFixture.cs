using WeJepa.TestSupport;
using WeJepa.Vulkan;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>A validated Vulkan device per test class (<see cref="VulkanDeviceFixture"/>) and an upload helper.</summary>
public abstract class GpuFixture : VulkanDeviceFixture
{
    protected DeviceBuffer Upload(float[] values)
    {
        var buffer = Device.CreateBuffer(Math.Max(4, values.Length * 4L));
        buffer.Upload<float>(values);
        return buffer;
    }
}
