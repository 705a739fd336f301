using WeJepa.Vulkan;

namespace WeJepa.Vulkan.Tests;

/// <summary>
/// One validated device per test class (opening one costs ~0.1–0.5 s). After every test the
/// validation layer's errors become a test failure.
/// </summary>
public abstract class VulkanFixture
{
    protected VulkanDevice Device { get; private set; } = null!;

    /// <summary>Whether the Debian package vulkan-validationlayers is installed (then validation must be on).</summary>
    protected static bool ValidationLayerInstalled =>
        File.Exists("/usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json");

    [OneTimeSetUp]
    public void OpenDevice() => Device = VulkanDevice.Create(new VulkanOptions { Validation = true });

    [TearDown]
    public void NoValidationErrors() => Device.ThrowIfValidationErrors();

    [OneTimeTearDown]
    public void CloseDevice() => Device.Dispose();

    protected static float[] RandomFloats(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
