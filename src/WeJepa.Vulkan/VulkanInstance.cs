using WeJepa.Core.Errors;
using WeJepa.Native.Vulkan;
using static WeJepa.Native.Vulkan.VkConstants;

namespace WeJepa.Vulkan;

/// <summary>The <c>VkInstance</c>: loader, driver discovery, optional validation layer.</summary>
internal sealed unsafe class VulkanInstance : IDisposable
{
    public const string InstallHint =
        "Install a Vulkan driver: `apt-get install libvulkan1 mesa-vulkan-drivers` (lavapipe, runs on the CPU) or your GPU vendor's driver.";

    public VkInstance Handle { get; private set; }
    /// <summary>True when <c>VK_LAYER_KHRONOS_validation</c> and <c>VK_EXT_debug_utils</c> are enabled.</summary>
    public bool ValidationEnabled { get; }

    public VulkanInstance(bool validation)
    {
        EnsureLoader();
        ValidationEnabled = validation && LayerAvailable(VK_LAYER_KHRONOS_validation);
        var layers = ValidationEnabled ? new[] { VK_LAYER_KHRONOS_validation } : [];
        var extensions = ValidationEnabled ? new[] { VK_EXT_debug_utils } : [];

        using var names = new Utf8Strings([.. layers, .. extensions, "WeJepa.Sim"]);
        var appInfo = new VkApplicationInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_APPLICATION_INFO,
            pApplicationName = names[^1],
            pEngineName = names[^1],
            apiVersion = VK_API_VERSION_1_2,
        };
        var info = new VkInstanceCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
            pApplicationInfo = &appInfo,
            enabledLayerCount = (uint)layers.Length,
            ppEnabledLayerNames = names.Pointers,
            enabledExtensionCount = (uint)extensions.Length,
            ppEnabledExtensionNames = names.Pointers + layers.Length,
        };
        VkInstance instance;
        var result = Vk.vkCreateInstance(&info, null, &instance);
        if (result is VkResult.VK_ERROR_INCOMPATIBLE_DRIVER or VkResult.VK_ERROR_INITIALIZATION_FAILED)
            throw new UserError(
                $"no usable Vulkan driver (vkCreateInstance returned {result}){DriverFilesNote()}. {InstallHint}",
                ExitCodes.MissingDependency);
        result.Check("vkCreateInstance");
        Handle = instance;
    }

    /// <summary>Every physical device the loader reports, in its order.</summary>
    public VkPhysicalDevice[] PhysicalDevices()
    {
        uint count;
        Vk.vkEnumeratePhysicalDevices(Handle, &count, null).Check();
        var devices = new VkPhysicalDevice[count];
        fixed (VkPhysicalDevice* p = devices) Vk.vkEnumeratePhysicalDevices(Handle, &count, p).Check();
        return devices[..(int)count];
    }

    public static bool LayerAvailable(string name)
    {
        uint count;
        Vk.vkEnumerateInstanceLayerProperties(&count, null).Check();
        var layers = new VkLayerProperties[count];
        fixed (VkLayerProperties* p = layers) Vk.vkEnumerateInstanceLayerProperties(&count, p).Check();
        for (var i = 0; i < count; i++)
            fixed (byte* n = layers[i].layerName)
                if (Utf8.Decode(n) == name) return true;
        return false;
    }

    /// <summary>The first call into libvulkan.so.1 is where a missing loader shows up.</summary>
    private static void EnsureLoader()
    {
        try
        {
            uint count;
            Vk.vkEnumerateInstanceLayerProperties(&count, null).Check();
        }
        catch (DllNotFoundException e)
        {
            throw new UserError($"the Vulkan loader {Vk.Library} was not found. {InstallHint}", ExitCodes.MissingDependency, e);
        }
    }

    private static string DriverFilesNote()
    {
        var files = Environment.GetEnvironmentVariable("VK_DRIVER_FILES") ?? Environment.GetEnvironmentVariable("VK_ICD_FILENAMES");
        return files is null ? "" : $"; VK_DRIVER_FILES={files} restricts the drivers searched";
    }

    public void Dispose()
    {
        if (Handle.Handle == 0) return;
        Vk.vkDestroyInstance(Handle, null);
        Handle = default;
    }
}

/// <summary>Null-terminated UTF-8 copies of strings in unmanaged memory, with an array of pointers to them.</summary>
internal sealed unsafe class Utf8Strings : IDisposable
{
    private readonly nint[] strings;
    public byte** Pointers { get; private set; }

    public Utf8Strings(IReadOnlyList<string> values)
    {
        strings = new nint[values.Count];
        Pointers = (byte**)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)Math.Max(1, values.Count), (nuint)sizeof(nint));
        for (var i = 0; i < values.Count; i++)
        {
            var bytes = Utf8.Encode(values[i]);
            strings[i] = (nint)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)bytes.Length);
            bytes.CopyTo(new Span<byte>((void*)strings[i], bytes.Length));
            Pointers[i] = (byte*)strings[i];
        }
    }

    public byte* this[Index i] => (byte*)strings[i];

    public void Dispose()
    {
        if (Pointers == null) return;
        foreach (var s in strings) System.Runtime.InteropServices.NativeMemory.Free((void*)s);
        System.Runtime.InteropServices.NativeMemory.Free(Pointers);
        Pointers = null;
    }
}
