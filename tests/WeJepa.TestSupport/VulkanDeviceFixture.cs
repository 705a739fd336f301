using WeJepa.Vulkan;

namespace WeJepa.TestSupport;

/// <summary>
/// One Vulkan device per test class (lavapipe here and in CI; opening one costs ~0.1–0.5 s), with the
/// validation layer on when it is installed. After every test the layer's errors become a test failure.
/// </summary>
public abstract class VulkanDeviceFixture
{
    protected VulkanDevice Device { get; private set; } = null!;

    [OneTimeSetUp]
    public void OpenDevice() => Device = VulkanDevice.Create(new VulkanOptions { Validation = true });

    [TearDown]
    public void NoValidationErrors() => Device.ThrowIfValidationErrors();

    [OneTimeTearDown]
    public void CloseDevice() => Device.Dispose();
}
