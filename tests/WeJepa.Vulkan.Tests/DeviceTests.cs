using System.Runtime.InteropServices;
using WeJepa.Core.Errors;
using WeJepa.Vulkan;

namespace WeJepa.Vulkan.Tests;

public class DeviceTests : VulkanFixture
{
    [Test]
    public void ReportsTheDeviceAndItsLimits()
    {
        var info = Device.Info;
        TestContext.Out.WriteLine($"{info}; maxStorageBufferRange {info.MaxStorageBufferRange}, offset alignment {info.StorageBufferOffsetAlignment}");
        Assert.That(info.Name, Is.Not.Empty);
        Assert.That(info.HasComputeQueue);
        Assert.That(info.MaxStorageBufferRange, Is.GreaterThanOrEqualTo(1 << 27), "Vulkan guarantees at least 128 MiB");
        Assert.That(long.IsPow2(info.StorageBufferOffsetAlignment), $"alignment {info.StorageBufferOffsetAlignment}");
        Assert.That(info.MaxPushConstantsSize, Is.GreaterThanOrEqualTo(128));
        Assert.That(info.MaxWorkGroupCountX, Is.GreaterThanOrEqualTo(65535));
        if (info.Name.Contains("llvmpipe"))
        {
            Assert.That(info.Type, Is.EqualTo(GpuType.Cpu));
            Assert.That(info.MaxStorageBufferRange, Is.EqualTo(128L << 20), "lavapipe binds at most 128 MiB");
        }
    }

    [Test]
    public void ValidationLayerIsOnWhenInstalled()
    {
        if (!ValidationLayerInstalled) Assert.Ignore("vulkan-validationlayers is not installed");
        Assert.That(Device.ValidationEnabled);
    }

    /// <summary>
    /// Core entry points must be the loader's exports, which dispatch on the handle: a pointer fetched for
    /// one device (vkGetDeviceProcAddr) would call that device's driver with another driver's handles.
    /// </summary>
    [TestCase("vkCmdDispatch")]
    [TestCase("vkQueueSubmit")]
    [TestCase("vkCreateBuffer")]
    public void CoreFunctionsAreTheLoadersExportsWhateverDeviceIsOpen(string name)
    {
        using var second = VulkanDevice.Create(new VulkanOptions { Validation = true });
        var loader = NativeLibrary.Load(VulkanLibrary.Loader);
        try { Assert.That(VulkanLibrary.Api.Context.GetProcAddress(name), Is.EqualTo(NativeLibrary.GetExport(loader, name))); }
        finally { NativeLibrary.Free(loader); }
    }

    [Test]
    public void ListsGpusAndSelectsByNameAndIndex()
    {
        var gpus = VulkanDevice.ListGpus();
        Assert.That(gpus, Is.Not.Empty);
        using (var byIndex = VulkanDevice.Create(new VulkanOptions { Gpu = Device.Info.Index.ToString() }))
            Assert.That(byIndex.Info.Name, Is.EqualTo(Device.Info.Name));
        var part = Device.Info.Name.Split(' ')[0].ToUpperInvariant();
        using (var byName = VulkanDevice.Create(new VulkanOptions { Gpu = part }))
            Assert.That(byName.Info.Name, Does.Contain(part).IgnoreCase);
    }

    [Test]
    public void UnknownGpuSelectorIsAUserError()
    {
        var e = Assert.Throws<UserError>(() => VulkanDevice.Create(new VulkanOptions { Gpu = "no-such-gpu-xyz" }))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain("no-such-gpu-xyz").And.Contain(Device.Info.Name));
        e = Assert.Throws<UserError>(() => VulkanDevice.Create(new VulkanOptions { Gpu = "97" }))!;
        Assert.That(e.Message, Does.Contain("index 97"));
    }

    [Test]
    public void WejepaGpuVariablePicksTheDeviceWhenNoSelectorIsGiven()
    {
        Environment.SetEnvironmentVariable(VulkanOptions.GpuVariable, "no-such-gpu-from-env");
        try
        {
            var e = Assert.Throws<UserError>(() => VulkanDevice.Create())!;
            Assert.That(e.Message, Does.Contain("no-such-gpu-from-env"));
            using var explicitChoice = VulkanDevice.Create(new VulkanOptions { Gpu = Device.Info.Index.ToString() });
            Assert.That(explicitChoice.Info.Index, Is.EqualTo(Device.Info.Index), "an explicit selector wins over the variable");
        }
        finally { Environment.SetEnvironmentVariable(VulkanOptions.GpuVariable, null); }
    }

    [Test]
    public void DisposingTheDeviceDestroysWhatIsLeftAndDisposeIsIdempotent()
    {
        var device = VulkanDevice.Create(new VulkanOptions { Validation = true });
        var buffer = device.CreateBuffer(1024);
        var pipeline = device.CreateComputePipeline("vk_test_affine", 2, 12, [64]);
        var set = pipeline.CreateDescriptorSet(buffer, buffer);
        var commands = device.CreateCommandBuffer();
        buffer.Dispose();
        buffer.Dispose();
        Assert.That(buffer.IsDisposed);
        Assert.That(set.IsDisposed, Is.False);
        device.Dispose();
        Assert.That(new DeviceObject[] { set, pipeline, commands }.All(o => o.IsDisposed));
        device.Dispose();
        Assert.Throws<ObjectDisposedException>(() => device.CreateBuffer(16));
    }
}
