using System.Runtime.InteropServices;
using WeJepa.Native.Vulkan;
using static WeJepa.Native.Vulkan.VkDebugUtilsMessageSeverityFlagsEXT;
using static WeJepa.Native.Vulkan.VkDebugUtilsMessageTypeFlagsEXT;

namespace WeJepa.Vulkan;

/// <summary>
/// <c>VkDebugUtilsMessengerEXT</c>: collects the validation layer's warnings and errors. A callback
/// must not throw into native code, so errors are recorded and surfaced by
/// <see cref="VulkanDevice.ThrowIfValidationErrors"/> (tests call it after each test).
/// </summary>
internal sealed unsafe class DebugMessenger : IDisposable
{
    private readonly VulkanInstance instance;
    private GCHandle self;
    private VkDebugUtilsMessengerEXT handle;
    private readonly List<string> errors = [];
    private readonly List<string> warnings = [];
    private readonly Lock gate = new();

    public DebugMessenger(VulkanInstance instance)
    {
        this.instance = instance;
        var create = VkExtensions.vkCreateDebugUtilsMessengerEXT(instance.Handle);
        if (create == null) throw VkCheck.Error(VkResult.VK_ERROR_EXTENSION_NOT_PRESENT, "vkCreateDebugUtilsMessengerEXT");
        self = GCHandle.Alloc(this);
        var info = new VkDebugUtilsMessengerCreateInfoEXT
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
            messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
            messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT,
            pfnUserCallback = &OnMessage,
            pUserData = (void*)GCHandle.ToIntPtr(self),
        };
        VkDebugUtilsMessengerEXT messenger;
        var result = create(instance.Handle, &info, null, &messenger);
        if (result < 0)
        {
            self.Free();
            throw VkCheck.Error(result, "vkCreateDebugUtilsMessengerEXT");
        }
        handle = messenger;
    }

    public IReadOnlyList<string> Errors { get { lock (gate) return [.. errors]; } }
    public IReadOnlyList<string> Warnings { get { lock (gate) return [.. warnings]; } }

    public void Clear()
    {
        lock (gate) { errors.Clear(); warnings.Clear(); }
    }

    [UnmanagedCallersOnly]
    private static uint OnMessage(uint severity, uint types, VkDebugUtilsMessengerCallbackDataEXT* data, void* user)
    {
        var messenger = (DebugMessenger)GCHandle.FromIntPtr((nint)user).Target!;
        var text = $"{Utf8.Decode(data->pMessageIdName)}: {Utf8.Decode(data->pMessage)}";
        lock (messenger.gate)
            ((severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) != 0 ? messenger.errors : messenger.warnings).Add(text);
        return VkConstants.VK_FALSE;   // never abort the call: the layer's verdict is reported, not enforced
    }

    public void Dispose()
    {
        if (handle.Handle == 0) return;
        VkExtensions.vkDestroyDebugUtilsMessengerEXT(instance.Handle)(instance.Handle, handle, null);
        handle = default;
        self.Free();
    }
}
