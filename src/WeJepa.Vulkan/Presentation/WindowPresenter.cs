using WeJepa.Core.Errors;
using WeJepa.Vulkan.Extensions;
using static Silk.NET.Vulkan.AccessFlags;
using static Silk.NET.Vulkan.PipelineStageFlags;

namespace WeJepa.Vulkan.Presentation;

/// <summary>
/// A window's surface and swapchain. Each frame: <see cref="Acquire"/> an image (recreating the
/// swapchain first when the window's size changed or the old one went out of date), record the frame
/// into a buffer of <see cref="Width"/>×<see cref="Height"/> B8G8R8A8 words and
/// <see cref="RecordCopy"/> it into the image (a device-side copy: no host round trip), submit and wait,
/// then <see cref="Present"/>. Acquisition waits on a fence and presentation follows a completed submit,
/// so no semaphores are needed: the host already knows the image is ready.
/// </summary>
public sealed unsafe class WindowPresenter : DeviceObject
{
    /// <summary>The swapchain's pixel format: compute shaders write it as one packed word (B | G≪8 | R≪16 | A≪24).</summary>
    public const Vk.Format PixelFormat = Vk.Format.B8G8R8A8Unorm;
    /// <summary>Device extension the device must be opened with (<see cref="VulkanOptions.OptionalDeviceExtensions"/>).</summary>
    public const string DeviceExtension = Extensions.Swapchain.Extension;
    /// <summary>Instance extension every window surface needs, besides the window system's own.</summary>
    public const string InstanceExtension = Extensions.Surface.Extension;

    private readonly Surface surfaceFunctions;
    private readonly Swapchain swapchainFunctions;
    private readonly Func<(int Width, int Height)> framebufferSize;
    private readonly Fence acquired;
    private readonly bool vsync;
    private Vk.SurfaceKHR surface;
    private Vk.SwapchainKHR swapchain;
    private Vk.Image[] images = [];
    private uint imageIndex;
    private bool stale = true, holding;

    public int Width { get; private set; }
    public int Height { get; private set; }
    /// <summary>How many swapchains were created so far (1 after the first frame; resizes add one each).</summary>
    public int Generation { get; private set; }
    /// <summary>The presentation mode in use (FIFO with vsync, else IMMEDIATE or MAILBOX when offered).</summary>
    public Vk.PresentModeKHR PresentMode { get; private set; }

    /// <summary>The instance handle a window system needs to create the surface (e.g. glfwCreateWindowSurface).</summary>
    public static nint InstanceHandle(VulkanDevice device) => device.Instance.Handle.Handle;

    /// <param name="surfaceHandle">A VkSurfaceKHR made on <see cref="InstanceHandle"/>; the presenter owns and destroys it.</param>
    /// <param name="framebufferSize">The window's current size in pixels; (0, 0) while minimised.</param>
    /// <param name="vsync">FIFO (wait for the display); false prefers IMMEDIATE, then MAILBOX (for benchmarks).</param>
    public WindowPresenter(VulkanDevice device, ulong surfaceHandle, Func<(int Width, int Height)> framebufferSize, bool vsync = true)
        : base(device)
    {
        surface = new Vk.SurfaceKHR(surfaceHandle);
        this.framebufferSize = framebufferSize;
        this.vsync = vsync;
        try
        {
            surfaceFunctions = new Surface(device.Instance.Handle);
            if (!device.HasExtension(DeviceExtension))
                throw new UserError($"the Vulkan device {device.Info.Name} was opened without {DeviceExtension} (it cannot show a window)", ExitCodes.MissingDependency);
            swapchainFunctions = new Swapchain(device.Handle);
            Silk.NET.Core.Bool32 supported;
            surfaceFunctions.GetPhysicalDeviceSurfaceSupport(device.PhysicalDevice, device.QueueFamily, surface, &supported)
                .Check("vkGetPhysicalDeviceSurfaceSupportKHR");
            if (!supported)
                throw new UserError($"the Vulkan device {device.Info.Name} cannot present to this window from its compute queue family {device.QueueFamily}",
                    ExitCodes.MissingDependency);
            acquired = new Fence(device, signaled: false);
        }
        catch
        {
            if (surfaceFunctions.DestroySurface != null) surfaceFunctions.DestroySurface(device.Instance.Handle, surface, null);
            throw;
        }
        Register();
    }

    /// <summary>
    /// Acquires the next image; false while the window is minimised (zero size) or when the swapchain was
    /// just found out of date (call again next frame). On true, <see cref="Width"/>/<see cref="Height"/>
    /// are the image's size.
    /// </summary>
    public bool Acquire()
    {
        ThrowIfDisposed();
        if (holding) throw new InvalidOperationException("Acquire called twice without Present");
        var (w, h) = framebufferSize();
        if (w <= 0 || h <= 0) return false;
        if (stale || w != Width || h != Height)
        {
            if (!Recreate()) return false;
        }
        uint index;
        var result = swapchainFunctions.AcquireNextImage(Device.Handle, swapchain, ulong.MaxValue, default, acquired.Handle, &index);
        if (result == Vk.Result.ErrorOutOfDateKhr)
        {
            stale = true;
            return false;
        }
        result.Check("vkAcquireNextImageKHR");
        if (result == Vk.Result.SuboptimalKhr) stale = true;   // still usable: show it, rebuild next frame
        acquired.Wait();
        acquired.Reset();
        imageIndex = index;
        holding = true;
        return true;
    }

    /// <summary>
    /// Records the copy of <paramref name="source"/> (Height rows of <paramref name="rowWords"/> ≥ Width
    /// B8G8R8A8 words) into the acquired image.
    /// </summary>
    public void RecordCopy(CommandBuffer commands, DeviceBuffer source, int rowWords)
    {
        ThrowIfDisposed();
        if (!holding) throw new InvalidOperationException("RecordCopy without an acquired image");
        if (rowWords < Width || source.SizeBytes < 4L * rowWords * Height)
            throw new ArgumentException($"a {source.SizeBytes}-byte buffer of {rowWords}-word rows does not hold the {Width}x{Height} image");
        commands.Barrier();   // the compute shader's writes to the buffer, before the copy reads them
        var cmd = commands.Handle;
        var image = images[imageIndex];
        var range = new Vk.ImageSubresourceRange(Vk.ImageAspectFlags.ColorBit, 0, 1, 0, 1);
        var toTransfer = new Vk.ImageMemoryBarrier(
            srcAccessMask: 0, dstAccessMask: TransferWriteBit,
            oldLayout: Vk.ImageLayout.Undefined, newLayout: Vk.ImageLayout.TransferDstOptimal,
            srcQueueFamilyIndex: Vk.Vk.QueueFamilyIgnored, dstQueueFamilyIndex: Vk.Vk.QueueFamilyIgnored,
            image: image, subresourceRange: range);
        Api.CmdPipelineBarrier(cmd, TopOfPipeBit, TransferBit, 0, 0, null, 0, null, 1, &toTransfer);
        var region = new Vk.BufferImageCopy(
            bufferOffset: 0, bufferRowLength: (uint)rowWords, bufferImageHeight: (uint)Height,
            imageSubresource: new Vk.ImageSubresourceLayers(Vk.ImageAspectFlags.ColorBit, 0, 0, 1),
            imageOffset: default, imageExtent: new Vk.Extent3D((uint)Width, (uint)Height, 1));
        Api.CmdCopyBufferToImage(cmd, source.Handle, image, Vk.ImageLayout.TransferDstOptimal, 1, &region);
        var toPresent = new Vk.ImageMemoryBarrier(
            srcAccessMask: TransferWriteBit, dstAccessMask: 0,
            oldLayout: Vk.ImageLayout.TransferDstOptimal, newLayout: Vk.ImageLayout.PresentSrcKhr,
            srcQueueFamilyIndex: Vk.Vk.QueueFamilyIgnored, dstQueueFamilyIndex: Vk.Vk.QueueFamilyIgnored,
            image: image, subresourceRange: range);
        Api.CmdPipelineBarrier(cmd, TransferBit, BottomOfPipeBit, 0, 0, null, 0, null, 1, &toPresent);
    }

    /// <summary>Shows the acquired image; call after the command buffer with <see cref="RecordCopy"/> completed.</summary>
    public void Present()
    {
        ThrowIfDisposed();
        if (!holding) throw new InvalidOperationException("Present without an acquired image");
        holding = false;
        var chain = swapchain;
        var index = imageIndex;
        var info = new Vk.PresentInfoKHR(swapchainCount: 1, pSwapchains: &chain, pImageIndices: &index);
        Vk.Result result;
        lock (Device.QueueLock) result = swapchainFunctions.QueuePresent(Device.Queue, &info);
        if (result is Vk.Result.ErrorOutOfDateKhr or Vk.Result.SuboptimalKhr)
        {
            stale = true;
            return;
        }
        result.Check("vkQueuePresentKHR");
    }

    /// <summary>A new swapchain at the surface's current size; false when the surface has zero size (minimised).</summary>
    private bool Recreate()
    {
        Api.DeviceWaitIdle(Device.Handle).Check("vkDeviceWaitIdle");
        var physical = Device.PhysicalDevice;
        Vk.SurfaceCapabilitiesKHR caps;
        surfaceFunctions.GetPhysicalDeviceSurfaceCapabilities(physical, surface, &caps).Check("vkGetPhysicalDeviceSurfaceCapabilitiesKHR");
        var (w, h) = framebufferSize();
        // currentExtent is the window's size, or 0xFFFFFFFF when the swapchain decides (then the framebuffer's).
        var extent = caps.CurrentExtent.Width != uint.MaxValue
            ? caps.CurrentExtent
            : new Vk.Extent2D(Math.Clamp((uint)w, caps.MinImageExtent.Width, caps.MaxImageExtent.Width),
                              Math.Clamp((uint)h, caps.MinImageExtent.Height, caps.MaxImageExtent.Height));
        if (extent.Width == 0 || extent.Height == 0) return false;
        if (!caps.SupportedUsageFlags.HasFlag(Vk.ImageUsageFlags.TransferDstBit))
            throw new UserError($"{Device.Info.Name}: the window surface's images cannot be transfer destinations", ExitCodes.MissingDependency);
        var format = ChooseFormat(physical);
        PresentMode = ChoosePresentMode(physical);
        var count = caps.MinImageCount + 1;
        if (caps.MaxImageCount > 0) count = Math.Min(count, caps.MaxImageCount);

        var old = swapchain;
        var info = new Vk.SwapchainCreateInfoKHR(
            surface: surface, minImageCount: count, imageFormat: format.Format, imageColorSpace: format.ColorSpace,
            imageExtent: extent, imageArrayLayers: 1, imageUsage: Vk.ImageUsageFlags.TransferDstBit,
            imageSharingMode: Vk.SharingMode.Exclusive, preTransform: caps.CurrentTransform,
            compositeAlpha: Vk.CompositeAlphaFlagsKHR.OpaqueBitKhr, presentMode: PresentMode, clipped: true, oldSwapchain: old);
        if (!caps.SupportedCompositeAlpha.HasFlag(Vk.CompositeAlphaFlagsKHR.OpaqueBitKhr))
            info.CompositeAlpha = Vk.CompositeAlphaFlagsKHR.InheritBitKhr;
        Vk.SwapchainKHR created;
        swapchainFunctions.CreateSwapchain(Device.Handle, &info, null, &created).Check("vkCreateSwapchainKHR");
        if (old.Handle != 0) swapchainFunctions.DestroySwapchain(Device.Handle, old, null);
        swapchain = created;

        uint n;
        swapchainFunctions.GetSwapchainImages(Device.Handle, swapchain, &n, null).Check("vkGetSwapchainImagesKHR");
        images = new Vk.Image[n];
        fixed (Vk.Image* p = images) swapchainFunctions.GetSwapchainImages(Device.Handle, swapchain, &n, p).Check("vkGetSwapchainImagesKHR");
        Width = (int)extent.Width;
        Height = (int)extent.Height;
        Generation++;
        stale = false;
        return true;
    }

    private Vk.SurfaceFormatKHR ChooseFormat(Vk.PhysicalDevice physical)
    {
        uint n;
        surfaceFunctions.GetPhysicalDeviceSurfaceFormats(physical, surface, &n, null).Check("vkGetPhysicalDeviceSurfaceFormatsKHR");
        var formats = new Vk.SurfaceFormatKHR[n];
        fixed (Vk.SurfaceFormatKHR* p = formats) surfaceFunctions.GetPhysicalDeviceSurfaceFormats(physical, surface, &n, p).Check("vkGetPhysicalDeviceSurfaceFormatsKHR");
        foreach (var f in formats)
            if (f.Format == PixelFormat) return f;
        throw new UserError(
            $"the window surface offers no {PixelFormat} format (offered: {string.Join(", ", formats.Select(f => f.Format))}); " +
            "under Xvfb use a 24-bit screen: xvfb-run -s \"-screen 0 1024x768x24\"", ExitCodes.MissingDependency);
    }

    private Vk.PresentModeKHR ChoosePresentMode(Vk.PhysicalDevice physical)
    {
        if (vsync) return Vk.PresentModeKHR.FifoKhr;   // the one mode every surface supports
        uint n;
        surfaceFunctions.GetPhysicalDeviceSurfacePresentModes(physical, surface, &n, null).Check("vkGetPhysicalDeviceSurfacePresentModesKHR");
        var modes = new Vk.PresentModeKHR[n];
        fixed (Vk.PresentModeKHR* p = modes) surfaceFunctions.GetPhysicalDeviceSurfacePresentModes(physical, surface, &n, p).Check("vkGetPhysicalDeviceSurfacePresentModesKHR");
        return modes.Contains(Vk.PresentModeKHR.ImmediateKhr) ? Vk.PresentModeKHR.ImmediateKhr
            : modes.Contains(Vk.PresentModeKHR.MailboxKhr) ? Vk.PresentModeKHR.MailboxKhr
            : Vk.PresentModeKHR.FifoKhr;
    }

    private protected override void Destroy()
    {
        Api.DeviceWaitIdle(Device.Handle);
        if (swapchain.Handle != 0) swapchainFunctions.DestroySwapchain(Device.Handle, swapchain, null);
        swapchain = default;
        acquired.Dispose();
        if (surface.Handle != 0) surfaceFunctions.DestroySurface(Device.Instance.Handle, surface, null);
        surface = default;
    }
}
