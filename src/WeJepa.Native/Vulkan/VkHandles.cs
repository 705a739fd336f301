namespace WeJepa.Native.Vulkan;

// Vulkan handles as typed wrappers, so a VkBuffer cannot be passed where a VkImage is expected.
// Dispatchable handles are pointers; non-dispatchable handles are 64-bit integers on every platform.

internal readonly record struct VkInstance(nint Handle);
internal readonly record struct VkPhysicalDevice(nint Handle);
internal readonly record struct VkDevice(nint Handle);
internal readonly record struct VkQueue(nint Handle);
internal readonly record struct VkCommandBuffer(nint Handle);

internal readonly record struct VkDeviceMemory(ulong Handle);
internal readonly record struct VkBuffer(ulong Handle);
internal readonly record struct VkShaderModule(ulong Handle);
internal readonly record struct VkDescriptorSetLayout(ulong Handle);
internal readonly record struct VkPipelineLayout(ulong Handle);
internal readonly record struct VkPipeline(ulong Handle);
internal readonly record struct VkPipelineCache(ulong Handle);
internal readonly record struct VkDescriptorPool(ulong Handle);
internal readonly record struct VkDescriptorSet(ulong Handle);
internal readonly record struct VkCommandPool(ulong Handle);
internal readonly record struct VkFence(ulong Handle);
internal readonly record struct VkSemaphore(ulong Handle);
internal readonly record struct VkDebugUtilsMessengerEXT(ulong Handle);
