using WeJepa.TestSupport;

namespace WeJepa.Vulkan.Tests;

/// <summary>The shared device fixture (<see cref="VulkanDeviceFixture"/>) plus this project's helpers.</summary>
public abstract class VulkanFixture : VulkanDeviceFixture
{
    /// <summary>Whether the Debian package vulkan-validationlayers is installed (then validation must be on).</summary>
    protected static bool ValidationLayerInstalled =>
        File.Exists("/usr/share/vulkan/explicit_layer.d/VkLayer_khronos_validation.json");

    protected static float[] RandomFloats(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
