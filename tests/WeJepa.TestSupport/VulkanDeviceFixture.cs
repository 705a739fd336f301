using WeJepa.Vulkan;

namespace WeJepa.TestSupport;

/// <summary>
/// One Vulkan device per test class (lavapipe here and in CI; opening one costs ~0.1–0.5 s), with the
/// validation layer on when it is installed. After every test any message of the layer (error or
/// warning) becomes a test failure.
/// </summary>
public abstract class VulkanDeviceFixture
{
    protected VulkanDevice Device { get; private set; } = null!;

    [OneTimeSetUp]
    public void OpenDevice() => Device = VulkanDevice.Create(new VulkanOptions { Validation = true });

    [TearDown]
    public void NoValidationMessages()
    {
        var warnings = Device.ValidationWarnings;
        Device.ThrowIfValidationErrors();   // and forgets the warnings with the errors
        Assert.That(warnings, Is.Empty, "Vulkan validation warnings");
    }

    [OneTimeTearDown]
    public void CloseDevice() => Device.Dispose();
}
