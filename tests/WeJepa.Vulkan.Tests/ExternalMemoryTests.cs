using System.Runtime.InteropServices;
using WeJepa.Vulkan;

namespace WeJepa.Vulkan.Tests;

/// <summary>
/// VK_KHR_external_memory_fd: a buffer's memory exported as a file descriptor, the path by which CUDA
/// will import Vulkan memory without a copy.
/// </summary>
public unsafe partial class ExternalMemoryTests : VulkanFixture
{
    private VulkanDevice exporting = null!;

    [OneTimeSetUp]
    public void OpenExportingDevice()
    {
        exporting = VulkanDevice.Create(new VulkanOptions { Validation = true, OptionalDeviceExtensions = [VulkanOptions.ExternalMemoryFd] });
        if (!exporting.HasExtension(VulkanOptions.ExternalMemoryFd))
            Assert.Ignore($"{exporting.Info.Name} has no {VulkanOptions.ExternalMemoryFd}");
    }

    [TearDown]
    public void NoValidationMessagesOnTheExportingDevice()
    {
        Assert.That(exporting.ValidationWarnings, Is.Empty, "Vulkan validation warnings");
        exporting.ThrowIfValidationErrors();
    }

    [OneTimeTearDown]
    public void CloseExportingDevice() => exporting.Dispose();

    [Test]
    public void AnExportableBufferGivesAFileDescriptorForItsMemory()
    {
        var data = RandomFloats(4096, 5);
        using var buffer = exporting.CreateBuffer(data.Length * 4L, exportable: true);
        buffer.Upload<float>(data);
        Assert.That(buffer.IsExportable);
        Assert.That(buffer.AllocationBytes, Is.GreaterThanOrEqualTo(buffer.SizeBytes));

        var fd = buffer.ExportMemoryFd();
        try
        {
            Assert.That(fd, Is.GreaterThanOrEqualTo(0));
            var fileBytes = lseek(fd, 0, SeekEnd);
            Assert.That(fileBytes, Is.GreaterThanOrEqualTo(buffer.SizeBytes), "the descriptor's file holds the whole allocation");
            if (!exporting.Info.Name.Contains("llvmpipe")) return;
            // lavapipe's opaque fd is the memfd its allocation lives in (after a small header and alignment
            // padding, Mesa's os_malloc_aligned_fd): mapping it shows the uploaded bytes, so it is the same memory.
            var view = mmap(null, (nuint)fileBytes, ProtRead, MapShared, fd, 0);
            Assert.That((nint)view, Is.Not.EqualTo((nint)(-1)), "mmap of the exported descriptor");
            try
            {
                var file = new ReadOnlySpan<byte>(view, (int)fileBytes);
                var offset = file.IndexOf(MemoryMarshal.AsBytes(data.AsSpan()));
                Assert.That(offset, Is.InRange(0, fileBytes - buffer.SizeBytes), "the uploaded data inside the exported memory");
            }
            finally { munmap(view, (nuint)fileBytes); }
        }
        finally { close(fd); }
        var second = buffer.ExportMemoryFd();
        Assert.That(second, Is.GreaterThanOrEqualTo(0), "each export is a new descriptor");
        close(second);
    }

    [Test]
    public void ExportNeedsAnExportableBufferOnADeviceWithTheExtension()
    {
        using var plain = exporting.CreateBuffer(256);
        Assert.That(plain.IsExportable, Is.False);
        Assert.That(() => plain.ExportMemoryFd(), Throws.InvalidOperationException.With.Message.Contains("exportable"));
        Assert.That(() => Device.CreateBuffer(256, exportable: true),
            Throws.InvalidOperationException.With.Message.Contains(VulkanOptions.ExternalMemoryFd).And.Message.Contains("OptionalDeviceExtensions"));
    }

    private const int SeekEnd = 2, ProtRead = 1, MapShared = 1;

    [LibraryImport("libc")] private static partial long lseek(int fd, long offset, int whence);
    [LibraryImport("libc")] private static partial int close(int fd);
    [LibraryImport("libc")] private static partial void* mmap(void* address, nuint length, int protection, int flags, int fd, long offset);
    [LibraryImport("libc")] private static partial int munmap(void* address, nuint length);
}
