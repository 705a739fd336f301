using System.Runtime.InteropServices;
using WeJepa.Core.Errors;
using WeJepa.Native.Vulkan;
using WeJepa.Vulkan;

namespace WeJepa.Vulkan.Tests;

public unsafe partial class ErrorTests : VulkanFixture
{
    [Test]
    public void AFailingCallNamesTheFunctionAndTheResult()
    {
        var e = Assert.Throws<VulkanException>(EnumerateExtensionsOfMissingLayer)!;
        Assert.That(e.Call, Is.EqualTo("vkEnumerateInstanceExtensionProperties"));
        Assert.That(e.Result, Is.EqualTo("VK_ERROR_LAYER_NOT_PRESENT"));
        Assert.That(e.Message, Is.EqualTo("vkEnumerateInstanceExtensionProperties failed: VK_ERROR_LAYER_NOT_PRESENT (-6)"));
    }

    /// <summary>A valid call that fails: the extensions of a layer that does not exist.</summary>
    private static void EnumerateExtensionsOfMissingLayer()
    {
        uint count;
        fixed (byte* name = Utf8.Encode("VK_LAYER_no_such_layer"))
            Vk.vkEnumerateInstanceExtensionProperties(name, &count, null).Check();
    }

    [Test]
    public void SuccessCodesPassAndUnknownCodesAreStillErrors()
    {
        Assert.That(VkResult.VK_INCOMPLETE.Check(), Is.EqualTo(VkResult.VK_INCOMPLETE));
        var e = Assert.Throws<VulkanException>(() => ((VkResult)(-424242)).Check("Vk.vkQueueSubmit(queue, 1, &info, fence)"))!;
        Assert.That(e.Message, Is.EqualTo("vkQueueSubmit failed: VkResult (-424242)"));
    }

    [Test]
    public void ValidationErrorsAreCollectedAndFailTheTest()
    {
        if (!ValidationLayerInstalled) Assert.Ignore("vulkan-validationlayers is not installed");
        using var device = VulkanDevice.Create(new VulkanOptions { Validation = true });
        // A zero-sized buffer is invalid usage (VUID-VkBufferCreateInfo-size-00912) that drivers tolerate.
        var info = new VkBufferCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
            size = 0,
            usage = VkBufferUsageFlags.VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
        };
        VkBuffer buffer;
        Vk.vkCreateBuffer(device.Handle, &info, null, &buffer);
        if (buffer.Handle != 0) Vk.vkDestroyBuffer(device.Handle, buffer, null);
        Assert.That(device.ValidationErrors, Has.Some.Contains("VUID-VkBufferCreateInfo-size"));
        var e = Assert.Throws<InvalidOperationException>(device.ThrowIfValidationErrors)!;
        Assert.That(e.Message, Does.Contain("validation"));
        Assert.That(device.ValidationErrors, Is.Empty, "reported errors are forgotten after the throw");
    }

    [Test]
    public void NoDriverIsAUserErrorSayingWhatToInstall()
    {
        // The loader reads VK_DRIVER_FILES from the C environment at vkCreateInstance; .NET's
        // Environment.SetEnvironmentVariable does not reach it, so set it with libc's setenv.
        var previous = Environment.GetEnvironmentVariable("VK_DRIVER_FILES");
        Assert.That(setenv("VK_DRIVER_FILES", "/nonexistent.json", 1), Is.Zero);
        try
        {
            var e = Assert.Throws<UserError>(() => VulkanDevice.Create())!;
            Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingDependency));
            Assert.That(e.Message, Does.Contain("apt-get install libvulkan1 mesa-vulkan-drivers"));
            Assert.That(e.Message, Does.Contain("VK_ERROR_INCOMPATIBLE_DRIVER"));
        }
        finally
        {
            if (previous is null) unsetenv("VK_DRIVER_FILES");
            else setenv("VK_DRIVER_FILES", previous, 1);
        }
        using var again = VulkanDevice.Create();
        Assert.That(again.Info.Name, Is.EqualTo(Device.Info.Name), "the driver is found again once the variable is gone");
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int unsetenv(string name);
}
