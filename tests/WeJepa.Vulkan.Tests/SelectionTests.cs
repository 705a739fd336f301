using WeJepa.Core.Errors;
using WeJepa.Vulkan;
using static Silk.NET.Vulkan.MemoryPropertyFlags;
using Vk = Silk.NET.Vulkan;

namespace WeJepa.Vulkan.Tests;

/// <summary>Device and memory-type choice on other vendors' layouts (pure functions, no driver needed).</summary>
public class SelectionTests
{
    private static GpuInfo Gpu(int index, string name, GpuType type, bool compute = true) => new()
    {
        Index = index, Name = name, Type = type, ApiVersion = "1.3.0", VendorId = 0, DeviceId = 0, HasComputeQueue = compute,
        MaxStorageBufferRange = 1 << 27, StorageBufferOffsetAlignment = 16, MaxPushConstantsSize = 128,
        MaxWorkGroupCountX = 65535, MaxWorkGroupSizeX = 1024, DeviceLocalBytes = 1 << 30,
    };

    private static readonly GpuInfo[] Machine =
    [
        Gpu(0, "llvmpipe (LLVM 15.0.6, 256 bits)", GpuType.Cpu),
        Gpu(1, "Intel(R) UHD Graphics 630", GpuType.IntegratedGpu),
        Gpu(2, "NVIDIA H100 80GB HBM3", GpuType.DiscreteGpu),
        Gpu(3, "Broken GPU", GpuType.DiscreteGpu, compute: false),
    ];

    [Test]
    public void AutomaticChoicePrefersADiscreteGpuWithCompute()
    {
        Assert.That(GpuSelection.Choose(Machine, null).Name, Does.Contain("H100"));
        Assert.That(GpuSelection.Choose(Machine[..2], null).Name, Does.Contain("Intel"));
        Assert.That(GpuSelection.Choose(Machine[..1], null).Name, Does.Contain("llvmpipe"));
    }

    [Test]
    public void SelectorPicksByIndexOrNameSubstring()
    {
        Assert.That(GpuSelection.Choose(Machine, "0").Index, Is.EqualTo(0));
        Assert.That(GpuSelection.Choose(Machine, "LLVMPIPE").Index, Is.EqualTo(0));
        Assert.That(GpuSelection.Choose(Machine, "h100").Index, Is.EqualTo(2));
        var e = Assert.Throws<UserError>(() => GpuSelection.Choose(Machine, "3"))!;
        Assert.That(e.Message, Does.Contain("index 3").And.Contain("H100"));
    }

    [Test]
    public void ReasonSaysWhichRulePickedTheDevice()
    {
        Assert.That(GpuSelection.Reason(Machine, Machine[2], null), Does.Contain("DiscreteGpu ranks first of 3 devices"));
        Assert.That(GpuSelection.Reason(Machine[..1], Machine[0], null), Is.EqualTo("the only device with a compute queue"));
        Assert.That(GpuSelection.Reason(Machine, Machine[0], "0"), Is.EqualTo("selector \"0\" is its index"));
        Assert.That(GpuSelection.Reason(Machine, Machine[2], "h100"), Is.EqualTo("selector \"h100\" matches its name"));
    }

    [Test]
    public void NoComputeDeviceIsAMissingDependency()
    {
        var e = Assert.Throws<UserError>(() => GpuSelection.Choose([Machine[3]], null))!;
        Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingDependency));
        Assert.That(e.Message, Does.Contain("apt-get install libvulkan1 mesa-vulkan-drivers"));
    }

    private const Vk.MemoryPropertyFlags Local = DeviceLocalBit;
    private const Vk.MemoryPropertyFlags Mappable = HostVisibleBit | HostCoherentBit;
    private const Vk.MemoryPropertyFlags Cached = HostCachedBit;
    private const Vk.MemoryHeapFlags LocalHeap = Vk.MemoryHeapFlags.DeviceLocalBit;

    [Test]
    public void LavapipeMapsItsOnlyMemoryType()
    {
        MemoryTypeInfo[] types = [new(Local | Mappable | Cached, 0)];
        MemoryHeapInfo[] heaps = [new(2UL << 30, LocalHeap)];
        Assert.That(MemoryTypeChoice.Choose(types, heaps, 1, MemoryPlacement.Auto, out var mapped), Is.Zero);
        Assert.That(mapped);
        Assert.That(MemoryTypeChoice.Choose(types, heaps, 1, MemoryPlacement.DeviceLocal, out mapped), Is.Zero);
        Assert.That(mapped, Is.False, "DeviceLocal forces the staging path even where memory is mappable");
    }

    [Test]
    public void DiscreteGpuWithASmallBarWindowUsesUnmappedVram()
    {
        // An NVIDIA layout without resizable BAR: VRAM heap 0, system heap 1, 256 MiB BAR heap 2.
        MemoryTypeInfo[] types = [new(0, 1), new(Local, 0), new(Mappable, 1), new(Mappable | Cached, 1), new(Local | Mappable, 2)];
        MemoryHeapInfo[] heaps = [new(80UL << 30, LocalHeap), new(64UL << 30, 0), new(256UL << 20, LocalHeap)];
        Assert.That(MemoryTypeChoice.Choose(types, heaps, 0b11111, MemoryPlacement.Auto, out var mapped), Is.EqualTo(1));
        Assert.That(mapped, Is.False);
        Assert.That(MemoryTypeChoice.Choose(types, heaps, 0b11111, MemoryPlacement.HostVisible, out mapped), Is.EqualTo(3));
        Assert.That(mapped);
        Assert.That(MemoryTypeChoice.Choose(types, heaps, 0b10111, MemoryPlacement.HostVisible, out _), Is.EqualTo(2),
            "a type the buffer does not allow is never chosen");
    }

    [Test]
    public void ResizableBarMapsVram()
    {
        MemoryTypeInfo[] types = [new(Local, 0), new(Mappable | Cached, 1), new(Local | Mappable, 0)];
        MemoryHeapInfo[] heaps = [new(24UL << 30, LocalHeap), new(64UL << 30, 0)];
        Assert.That(MemoryTypeChoice.Choose(types, heaps, 0b111, MemoryPlacement.Auto, out var mapped), Is.EqualTo(2));
        Assert.That(mapped);
    }

    [Test]
    public unsafe void TheBindingsStructsHaveTheCAbiSizes()
    {
        // Sizes from vulkan_core.h on x86-64 (LP64), for the structs the runtime reads or chains.
        Assert.That(sizeof(Vk.PhysicalDeviceLimits), Is.EqualTo(504));
        Assert.That(sizeof(Vk.PhysicalDeviceProperties), Is.EqualTo(824));
        Assert.That(sizeof(Vk.PhysicalDeviceMemoryProperties), Is.EqualTo(520));
        Assert.That(sizeof(Vk.ComputePipelineCreateInfo), Is.EqualTo(96));
        Assert.That(sizeof(Vk.WriteDescriptorSet), Is.EqualTo(64));
        Assert.That(sizeof(Vk.DebugUtilsMessengerCallbackDataEXT), Is.EqualTo(96));
        Assert.That(sizeof(Vk.DebugUtilsMessengerCreateInfoEXT), Is.EqualTo(48));
        Assert.That(sizeof(Vk.MemoryGetFdInfoKHR), Is.EqualTo(32));
        Assert.That(sizeof(Vk.ExportMemoryAllocateInfo), Is.EqualTo(24));
    }
}
