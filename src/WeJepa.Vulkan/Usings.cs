// Vulkan's structs, enums and handles come from Silk.NET.Vulkan, spelled like the C API with the prefix
// as a namespace: Vk.BufferCreateInfo is VkBufferCreateInfo, Vk.Result.ErrorDeviceLost is VK_ERROR_DEVICE_LOST.
// Build structs with their constructors (named arguments): they set SType, an object initialiser leaves it 0.
global using Vk = Silk.NET.Vulkan;
// `Api`: the entry points, resolved from the loader (see VulkanLibrary).
global using static WeJepa.Vulkan.VulkanLibrary;
