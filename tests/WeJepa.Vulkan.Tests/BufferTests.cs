using WeJepa.Core.Errors;
using WeJepa.Vulkan;

namespace WeJepa.Vulkan.Tests;

public class BufferTests : VulkanFixture
{
    [TestCase(MemoryPlacement.Auto)]
    [TestCase(MemoryPlacement.DeviceLocal)]
    [TestCase(MemoryPlacement.HostVisible)]
    public void UploadThenReadBackRoundTrips(MemoryPlacement placement)
    {
        var data = RandomFloats(10_000, 1);
        using var buffer = Device.CreateBuffer(data.Length * 4L, placement);
        Assert.That(buffer.IsMapped, Is.EqualTo(placement != MemoryPlacement.DeviceLocal && (placement == MemoryPlacement.HostVisible || buffer.MappedPointer != 0)));
        if (placement == MemoryPlacement.DeviceLocal) Assert.That(buffer.MappedPointer, Is.EqualTo((nint)0));
        buffer.Upload<float>(data);
        Assert.That(buffer.ReadToHost<float>(data.Length), Is.EqualTo(data));

        // A slice at an offset, written and read back without touching its neighbours.
        var slice = new float[] { 1.5f, -2.5f, 3.5f };
        buffer.Upload<float>(slice, byteOffset: 400);
        Assert.That(buffer.ReadToHost<float>(3, byteOffset: 400), Is.EqualTo(slice));
        Assert.That(buffer.ReadToHost<float>(1, byteOffset: 396)[0], Is.EqualTo(data[99]));
        Assert.That(buffer.ReadToHost<float>(1, byteOffset: 412)[0], Is.EqualTo(data[103]));
    }

    /// <summary>The zero-copy path: shader output is read through the mapped pointer, no ReadToHost.</summary>
    [Test]
    public unsafe void ShaderWritesAreVisibleThroughTheMappedPointer()
    {
        using var buffer = Device.CreateBuffer(256 * 4);
        if (!buffer.IsMapped) Assert.Ignore($"{Device.Info.Name} has no host-visible device-local memory");
        var view = new Span<float>((void*)buffer.MappedPointer, 256);
        view.Fill(41f);   // host writes straight into device memory
        using var pipeline = Device.CreateComputePipeline("vk_test_accumulate", 1, 4);
        using var set = pipeline.CreateDescriptorSet(buffer);
        Device.Submit(c => c.Dispatch(pipeline, set, 256u, 4));
        Assert.That(view.ToArray(), Is.All.EqualTo(42f));
    }

    [Test]
    public void FillWritesEveryElement()
    {
        using var buffer = Device.CreateBuffer(4096, MemoryPlacement.DeviceLocal);
        buffer.Fill(float.NaN);
        Assert.That(buffer.ReadToHost<float>(1024).All(float.IsNaN));
        buffer.FillBits(0x3F800000);
        Assert.That(buffer.ReadToHost<float>(1024).All(v => v == 1f));
    }

    [Test]
    public void OutOfRangeTransfersAreRefused()
    {
        using var buffer = Device.CreateBuffer(16);
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Upload<float>(new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ReadToHost<float>(2, byteOffset: 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.ReadToHost<float>(1, byteOffset: -4));
    }

    [Test]
    public void ABufferBiggerThanTheDeviceMemoryIsAUserErrorNamingTheSize()
    {
        var e = Assert.Throws<UserError>(() => Device.CreateBuffer(1L << 40))!;
        Assert.That(e.Message, Does.Contain("1048576 MiB").And.Contain(Device.Info.Name));
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }
}
