using WeJepa.Vulkan;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>One Vulkan device per test class (lavapipe here and in CI), validated when the layer is installed.</summary>
public abstract class GpuFixture
{
    protected VulkanDevice Device { get; private set; } = null!;

    [OneTimeSetUp]
    public void OpenDevice() => Device = VulkanDevice.Create(new VulkanOptions { Validation = true });

    [TearDown]
    public void NoValidationErrors() => Device.ThrowIfValidationErrors();

    [OneTimeTearDown]
    public void CloseDevice() => Device.Dispose();

    protected DeviceBuffer Upload(float[] values)
    {
        var buffer = Device.CreateBuffer(Math.Max(4, values.Length * 4L));
        buffer.Upload<float>(values);
        return buffer;
    }
}
