using System.Runtime.InteropServices;
using WeJepa.Learning;
using WeJepa.Learning.Devices;
using WeJepa.Native.Cuda;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Bridge.Tests;

/// <summary>The host-side half of the CUDA import: descriptor layouts as cuda.h declares them, and their values.</summary>
public class CudaImportPlanTests
{
    [Test]
    public void DescriptorsHaveCudaHsLayout()
    {
        Assert.That(Marshal.SizeOf<ExternalMemoryHandleDesc>(), Is.EqualTo(104));
        Assert.That(Marshal.OffsetOf<ExternalMemoryHandleDesc>(nameof(ExternalMemoryHandleDesc.Fd)), Is.EqualTo((nint)8));
        Assert.That(Marshal.OffsetOf<ExternalMemoryHandleDesc>(nameof(ExternalMemoryHandleDesc.Size)), Is.EqualTo((nint)24));
        Assert.That(Marshal.OffsetOf<ExternalMemoryHandleDesc>(nameof(ExternalMemoryHandleDesc.Flags)), Is.EqualTo((nint)32));
        Assert.That(Marshal.SizeOf<ExternalMemoryBufferDesc>(), Is.EqualTo(88));
        Assert.That(Marshal.OffsetOf<ExternalMemoryBufferDesc>(nameof(ExternalMemoryBufferDesc.Size)), Is.EqualTo((nint)8));
        Assert.That(Marshal.OffsetOf<ExternalMemoryBufferDesc>(nameof(ExternalMemoryBufferDesc.Flags)), Is.EqualTo((nint)16));
    }

    [Test]
    public unsafe void ThePlanImportsTheWholeAllocationAndMapsTheBuffer()
    {
        var plan = CudaImportPlan.For(fd: 7, allocationBytes: 8192, offsetBytes: 256, sizeBytes: 4000);
        Assert.That((plan.Memory.Type, plan.Memory.Fd, plan.Memory.Size, plan.Memory.Flags), Is.EqualTo((1, 7, 8192UL, 0U)));
        Assert.That((plan.Buffer.Offset, plan.Buffer.Size, plan.Buffer.Flags), Is.EqualTo((256UL, 4000UL, 0U)));
        var memory = plan.Memory;
        var bytes = new ReadOnlySpan<byte>(&memory, sizeof(ExternalMemoryHandleDesc));
        Assert.That(bytes[36..].ToArray(), Is.All.Zero, "reserved words are zero");
    }

    [TestCase(-1, 4096, 0, 16)]
    [TestCase(3, 4096, 0, 0)]
    [TestCase(3, 4096, 4090, 16)]
    [TestCase(3, 4096, -4, 16)]
    public void AnImpossiblePlanIsRefusedBeforeTheDriver(int fd, long allocation, long offset, long size) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CudaImportPlan.For(fd, allocation, offset, size));

    [Test]
    public void ADriverErrorNamesTheCall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CudaDriver.Check(201, "cuImportExternalMemory"))!;
        Assert.That(error.Message, Does.Contain("cuImportExternalMemory").And.Contain("201").And.Contain("INVALID_CONTEXT"));
        Assert.DoesNotThrow(() => CudaDriver.Check(0, "cuMemFree"));
    }
}

/// <summary>
/// The CUDA path for real (NVIDIA Vulkan driver + ILGPU CUDA): what Vulkan writes, a tensor reads, and back.
/// Ignored without a CUDA device.
/// </summary>
public class CudaSharedBufferTests
{
    [Test]
    public void VulkanAndCudaSeeTheSameMemory()
    {
        Device engine;
        try { engine = Device.Create(DeviceKind.Cuda); }
        catch (Exception e) { Assert.Ignore($"no CUDA device: {e.Message}"); return; }
        using (engine)
        using (var vulkan = VulkanDevice.Create(new VulkanOptions { OptionalDeviceExtensions = [VulkanOptions.ExternalMemoryFd] }))
        {
            if (!vulkan.HasExtension(VulkanOptions.ExternalMemoryFd)) Assert.Ignore($"{vulkan.Info.Name} has no {VulkanOptions.ExternalMemoryFd}");
            using var shared = SharedBuffer.Create(vulkan, engine, 4096);
            using var tensor = shared.Float32(0, 1024);
            shared.Vulkan.Fill(1.5f);
            Assert.That(tensor.ToArray(), Is.All.EqualTo(1.5f));
            tensor.Fill(-3f);
            engine.Synchronize();
            Assert.That(shared.Vulkan.ReadToHost<float>(1024), Is.All.EqualTo(-3f));
        }
    }
}
