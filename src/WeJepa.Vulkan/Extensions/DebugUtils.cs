namespace WeJepa.Vulkan.Extensions;

/// <summary>VK_EXT_debug_utils (instance extension): the messenger that receives the validation layer's reports.</summary>
internal readonly unsafe struct DebugUtils
{
    public const string Extension = "VK_EXT_debug_utils";

    public readonly delegate* unmanaged<Vk.Instance, Vk.DebugUtilsMessengerCreateInfoEXT*, Vk.AllocationCallbacks*, Vk.DebugUtilsMessengerEXT*, Vk.Result>
        CreateDebugUtilsMessenger;
    public readonly delegate* unmanaged<Vk.Instance, Vk.DebugUtilsMessengerEXT, Vk.AllocationCallbacks*, void>
        DestroyDebugUtilsMessenger;

    public DebugUtils(Vk.Instance instance)
    {
        CreateDebugUtilsMessenger = (delegate* unmanaged<Vk.Instance, Vk.DebugUtilsMessengerCreateInfoEXT*, Vk.AllocationCallbacks*, Vk.DebugUtilsMessengerEXT*, Vk.Result>)
            ProcAddress.Instance(instance, "vkCreateDebugUtilsMessengerEXT");
        DestroyDebugUtilsMessenger = (delegate* unmanaged<Vk.Instance, Vk.DebugUtilsMessengerEXT, Vk.AllocationCallbacks*, void>)
            ProcAddress.Instance(instance, "vkDestroyDebugUtilsMessengerEXT");
    }
}
