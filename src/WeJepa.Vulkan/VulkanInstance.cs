using Silk.NET.Core.Native;
using WeJepa.Core.Errors;
using WeJepa.Vulkan.Extensions;

namespace WeJepa.Vulkan;

/// <summary>The <c>VkInstance</c>: loader, driver discovery, optional validation layer.</summary>
internal sealed unsafe class VulkanInstance : IDisposable
{
    public const string InstallHint =
        "Install a Vulkan driver: `apt-get install libvulkan1 mesa-vulkan-drivers` (lavapipe, runs on the CPU) or your GPU vendor's driver.";
    public const string ValidationLayer = "VK_LAYER_KHRONOS_validation";

    public Vk.Instance Handle { get; private set; }
    /// <summary>True when <c>VK_LAYER_KHRONOS_validation</c> and <c>VK_EXT_debug_utils</c> are enabled.</summary>
    public bool ValidationEnabled { get; }

    public VulkanInstance(bool validation)
    {
        ValidationEnabled = validation && LayerAvailable(ValidationLayer);
        string[] layers = ValidationEnabled ? [ValidationLayer] : [];
        string[] extensions = ValidationEnabled ? [DebugUtils.Extension] : [];

        var layerNames = (byte**)SilkMarshal.StringArrayToPtr(layers);
        var extensionNames = (byte**)SilkMarshal.StringArrayToPtr(extensions);
        var name = (byte*)SilkMarshal.StringToPtr("WeJepa.Sim");
        try
        {
            var appInfo = new Vk.ApplicationInfo(pApplicationName: name, pEngineName: name, apiVersion: Vk.Vk.Version12);
            var info = new Vk.InstanceCreateInfo(
                pApplicationInfo: &appInfo,
                enabledLayerCount: (uint)layers.Length, ppEnabledLayerNames: layerNames,
                enabledExtensionCount: (uint)extensions.Length, ppEnabledExtensionNames: extensionNames);
            Vk.Instance instance;
            var result = Api.CreateInstance(&info, null, &instance);
            if (result is Vk.Result.ErrorIncompatibleDriver or Vk.Result.ErrorInitializationFailed)
                throw new UserError(
                    $"no usable Vulkan driver (vkCreateInstance returned {result.Name()}){DriverFilesNote()}. {InstallHint}",
                    ExitCodes.MissingDependency);
            result.Check("vkCreateInstance");
            Handle = instance;
        }
        finally
        {
            SilkMarshal.Free((nint)layerNames);
            SilkMarshal.Free((nint)extensionNames);
            SilkMarshal.Free((nint)name);
        }
    }

    /// <summary>Every physical device the loader reports, in its order.</summary>
    public Vk.PhysicalDevice[] PhysicalDevices()
    {
        uint count;
        Api.EnumeratePhysicalDevices(Handle, &count, null).Check();
        var devices = new Vk.PhysicalDevice[count];
        fixed (Vk.PhysicalDevice* p = devices) Api.EnumeratePhysicalDevices(Handle, &count, p).Check();
        return devices[..(int)count];
    }

    public static bool LayerAvailable(string name)
    {
        uint count;
        Api.EnumerateInstanceLayerProperties(&count, null).Check();
        var layers = new Vk.LayerProperties[count];
        fixed (Vk.LayerProperties* p = layers) Api.EnumerateInstanceLayerProperties(&count, p).Check();
        for (var i = 0; i < count; i++)
            fixed (byte* n = layers[i].LayerName)
                if (SilkMarshal.PtrToString((nint)n) == name) return true;
        return false;
    }

    /// <summary>The loader's instance-level API version, e.g. "1.3.239".</summary>
    public static string LoaderVersion()
    {
        uint version;
        Api.EnumerateInstanceVersion(&version).Check();
        return VersionText(version);
    }

    public static string VersionText(uint version)
    {
        var v = (Silk.NET.Core.Version32)version;
        return $"{v.Major}.{v.Minor}.{v.Patch}";
    }

    private static string DriverFilesNote()
    {
        var files = Environment.GetEnvironmentVariable("VK_DRIVER_FILES") ?? Environment.GetEnvironmentVariable("VK_ICD_FILENAMES");
        return files is null ? "" : $"; VK_DRIVER_FILES={files} restricts the drivers searched";
    }

    public void Dispose()
    {
        if (Handle.Handle == 0) return;
        Api.DestroyInstance(Handle, null);
        Handle = default;
    }
}
