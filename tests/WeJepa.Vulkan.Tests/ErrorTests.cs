using System.Runtime.InteropServices;
using WeJepa.Core.Errors;
using WeJepa.Vulkan;
using static WeJepa.Vulkan.VulkanLibrary;
using Vk = Silk.NET.Vulkan;

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
        Api.EnumerateInstanceExtensionProperties("VK_LAYER_no_such_layer", &count, null).Check();
    }

    [Test]
    public void SuccessCodesPassAndUnknownCodesAreStillErrors()
    {
        Assert.That(Vk.Result.Incomplete.Check(), Is.EqualTo(Vk.Result.Incomplete));
        var e = Assert.Throws<VulkanException>(() => ((Vk.Result)(-424242)).Check("Api.QueueSubmit(queue, 1, &info, fence)"))!;
        Assert.That(e.Message, Is.EqualTo("vkQueueSubmit failed: VkResult (-424242)"));
        Assert.That(Vk.Result.ErrorOutOfPoolMemory.Name(), Is.EqualTo("VK_ERROR_OUT_OF_POOL_MEMORY"), "the core name, not the _KHR alias");
        Assert.That(VkCheck.Error(Vk.Result.ErrorDeviceLost, "vkWaitForFences").Message, Is.EqualTo("vkWaitForFences failed: VK_ERROR_DEVICE_LOST (-4)"));
    }

    [Test]
    public void ValidationErrorsAreCollectedAndFailTheTest()
    {
        if (!ValidationLayerInstalled) Assert.Ignore("vulkan-validationlayers is not installed");
        using var device = VulkanDevice.Create(new VulkanOptions { Validation = true });
        // A zero-sized buffer is invalid usage (VUID-VkBufferCreateInfo-size-00912) that drivers tolerate.
        CreateAndDestroyBuffer(device, new Vk.BufferCreateInfo(size: 0, usage: Vk.BufferUsageFlags.StorageBufferBit));
        Assert.That(device.ValidationErrors, Has.Some.Contains("VUID-VkBufferCreateInfo-size"));
        var e = Assert.Throws<InvalidOperationException>(device.ThrowIfValidationErrors)!;
        Assert.That(e.Message, Does.Contain("validation"));
        Assert.That(device.ValidationErrors, Is.Empty, "reported errors are forgotten after the throw");
    }

    [Test]
    public void AStructBuiltWithAnObjectInitialiserHasNoSTypeAndTheLayerSaysSo()
    {
        if (!ValidationLayerInstalled) Assert.Ignore("vulkan-validationlayers is not installed");
        using var device = VulkanDevice.Create(new VulkanOptions { Validation = true });
        // The mistake Silk.NET invites: an object initialiser skips the constructor that sets SType.
        var wrong = new Vk.BufferCreateInfo { Size = 64, Usage = Vk.BufferUsageFlags.StorageBufferBit };
        Assert.That(wrong.SType, Is.EqualTo((Vk.StructureType)0));
        CreateAndDestroyBuffer(device, wrong);
        Assert.That(device.ValidationErrors, Has.Some.Contains("VUID-VkBufferCreateInfo-sType-sType"));
        Assert.Throws<InvalidOperationException>(device.ThrowIfValidationErrors, "what fails a test in the fixture's TearDown");
    }

    [Test]
    public void TheConstructorsSetSTypeAndTheLayerIsSilent()
    {
        if (!ValidationLayerInstalled) Assert.Ignore("vulkan-validationlayers is not installed");
        using var device = VulkanDevice.Create(new VulkanOptions { Validation = true });
        var right = new Vk.BufferCreateInfo(size: 64, usage: Vk.BufferUsageFlags.StorageBufferBit);
        Assert.That(right.SType, Is.EqualTo(Vk.StructureType.BufferCreateInfo));
        CreateAndDestroyBuffer(device, right);
        Assert.That(device.ValidationErrors, Is.Empty);
        Assert.That(device.ValidationWarnings, Is.Empty);
    }

    /// <summary>vkCreateBuffer straight from the binding (the runtime's wrappers would never pass these structs).</summary>
    private static void CreateAndDestroyBuffer(VulkanDevice device, Vk.BufferCreateInfo info)
    {
        Vk.Buffer buffer = default;
        Api.CreateBuffer(device.Handle, &info, null, &buffer);
        if (buffer.Handle != 0) Api.DestroyBuffer(device.Handle, buffer, null);
    }

    [Test]
    public void NoLoaderIsAUserErrorSayingWhatToInstall()
    {
        var e = Assert.Throws<UserError>(() => VulkanLibrary.Load(() => new Vk.Vk(Vk.Vk.CreateDefaultContext(["libvulkan-missing.so.9"]))))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingDependency));
        Assert.That(e.Message, Does.Contain("libvulkan.so.1 was not found").And.Contain("apt-get install libvulkan1"));
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
