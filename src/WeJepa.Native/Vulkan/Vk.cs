using System.Runtime.InteropServices;

namespace WeJepa.Native.Vulkan;

/// <summary>
/// The Vulkan 1.0 core entry points the project uses, exported by the loader <c>libvulkan.so.1</c>.
/// Extension entry points are not exported: fetch them with <see cref="vkGetInstanceProcAddr"/> /
/// <see cref="vkGetDeviceProcAddr"/> (see <see cref="VkExtensions"/>). Allocation callbacks are always null.
/// </summary>
internal static unsafe partial class Vk
{
    public const string Library = "libvulkan.so.1";

    // Instance and physical devices
    [LibraryImport(Library)] public static partial VkResult vkCreateInstance(VkInstanceCreateInfo* pCreateInfo, void* pAllocator, VkInstance* pInstance);
    [LibraryImport(Library)] public static partial void vkDestroyInstance(VkInstance instance, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkEnumerateInstanceLayerProperties(uint* pPropertyCount, VkLayerProperties* pProperties);
    [LibraryImport(Library)] public static partial VkResult vkEnumerateInstanceExtensionProperties(byte* pLayerName, uint* pPropertyCount, VkExtensionProperties* pProperties);
    [LibraryImport(Library)] public static partial VkResult vkEnumeratePhysicalDevices(VkInstance instance, uint* pPhysicalDeviceCount, VkPhysicalDevice* pPhysicalDevices);
    [LibraryImport(Library)] public static partial void vkGetPhysicalDeviceProperties(VkPhysicalDevice physicalDevice, VkPhysicalDeviceProperties* pProperties);
    [LibraryImport(Library)] public static partial void vkGetPhysicalDeviceMemoryProperties(VkPhysicalDevice physicalDevice, VkPhysicalDeviceMemoryProperties* pMemoryProperties);
    [LibraryImport(Library)] public static partial void vkGetPhysicalDeviceQueueFamilyProperties(VkPhysicalDevice physicalDevice, uint* pQueueFamilyPropertyCount, VkQueueFamilyProperties* pQueueFamilyProperties);
    [LibraryImport(Library)] public static partial VkResult vkEnumerateDeviceExtensionProperties(VkPhysicalDevice physicalDevice, byte* pLayerName, uint* pPropertyCount, VkExtensionProperties* pProperties);
    [LibraryImport(Library)] public static partial nint vkGetInstanceProcAddr(VkInstance instance, byte* pName);

    // Logical device and queues
    [LibraryImport(Library)] public static partial VkResult vkCreateDevice(VkPhysicalDevice physicalDevice, VkDeviceCreateInfo* pCreateInfo, void* pAllocator, VkDevice* pDevice);
    [LibraryImport(Library)] public static partial void vkDestroyDevice(VkDevice device, void* pAllocator);
    [LibraryImport(Library)] public static partial nint vkGetDeviceProcAddr(VkDevice device, byte* pName);
    [LibraryImport(Library)] public static partial void vkGetDeviceQueue(VkDevice device, uint queueFamilyIndex, uint queueIndex, VkQueue* pQueue);
    [LibraryImport(Library)] public static partial VkResult vkDeviceWaitIdle(VkDevice device);
    [LibraryImport(Library)] public static partial VkResult vkQueueSubmit(VkQueue queue, uint submitCount, VkSubmitInfo* pSubmits, VkFence fence);
    [LibraryImport(Library)] public static partial VkResult vkQueueWaitIdle(VkQueue queue);

    // Memory and buffers
    [LibraryImport(Library)] public static partial VkResult vkAllocateMemory(VkDevice device, VkMemoryAllocateInfo* pAllocateInfo, void* pAllocator, VkDeviceMemory* pMemory);
    [LibraryImport(Library)] public static partial void vkFreeMemory(VkDevice device, VkDeviceMemory memory, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkMapMemory(VkDevice device, VkDeviceMemory memory, ulong offset, ulong size, uint flags, void** ppData);
    [LibraryImport(Library)] public static partial void vkUnmapMemory(VkDevice device, VkDeviceMemory memory);
    [LibraryImport(Library)] public static partial VkResult vkCreateBuffer(VkDevice device, VkBufferCreateInfo* pCreateInfo, void* pAllocator, VkBuffer* pBuffer);
    [LibraryImport(Library)] public static partial void vkDestroyBuffer(VkDevice device, VkBuffer buffer, void* pAllocator);
    [LibraryImport(Library)] public static partial void vkGetBufferMemoryRequirements(VkDevice device, VkBuffer buffer, VkMemoryRequirements* pMemoryRequirements);
    [LibraryImport(Library)] public static partial VkResult vkBindBufferMemory(VkDevice device, VkBuffer buffer, VkDeviceMemory memory, ulong memoryOffset);

    // Shaders, pipelines, descriptors
    [LibraryImport(Library)] public static partial VkResult vkCreateShaderModule(VkDevice device, VkShaderModuleCreateInfo* pCreateInfo, void* pAllocator, VkShaderModule* pShaderModule);
    [LibraryImport(Library)] public static partial void vkDestroyShaderModule(VkDevice device, VkShaderModule shaderModule, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkCreateDescriptorSetLayout(VkDevice device, VkDescriptorSetLayoutCreateInfo* pCreateInfo, void* pAllocator, VkDescriptorSetLayout* pSetLayout);
    [LibraryImport(Library)] public static partial void vkDestroyDescriptorSetLayout(VkDevice device, VkDescriptorSetLayout descriptorSetLayout, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkCreatePipelineLayout(VkDevice device, VkPipelineLayoutCreateInfo* pCreateInfo, void* pAllocator, VkPipelineLayout* pPipelineLayout);
    [LibraryImport(Library)] public static partial void vkDestroyPipelineLayout(VkDevice device, VkPipelineLayout pipelineLayout, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkCreateComputePipelines(VkDevice device, VkPipelineCache pipelineCache, uint createInfoCount, VkComputePipelineCreateInfo* pCreateInfos, void* pAllocator, VkPipeline* pPipelines);
    [LibraryImport(Library)] public static partial void vkDestroyPipeline(VkDevice device, VkPipeline pipeline, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkCreateDescriptorPool(VkDevice device, VkDescriptorPoolCreateInfo* pCreateInfo, void* pAllocator, VkDescriptorPool* pDescriptorPool);
    [LibraryImport(Library)] public static partial void vkDestroyDescriptorPool(VkDevice device, VkDescriptorPool descriptorPool, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkAllocateDescriptorSets(VkDevice device, VkDescriptorSetAllocateInfo* pAllocateInfo, VkDescriptorSet* pDescriptorSets);
    [LibraryImport(Library)] public static partial void vkUpdateDescriptorSets(VkDevice device, uint descriptorWriteCount, VkWriteDescriptorSet* pDescriptorWrites, uint descriptorCopyCount, void* pDescriptorCopies);

    // Command buffers and synchronisation
    [LibraryImport(Library)] public static partial VkResult vkCreateCommandPool(VkDevice device, VkCommandPoolCreateInfo* pCreateInfo, void* pAllocator, VkCommandPool* pCommandPool);
    [LibraryImport(Library)] public static partial void vkDestroyCommandPool(VkDevice device, VkCommandPool commandPool, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkAllocateCommandBuffers(VkDevice device, VkCommandBufferAllocateInfo* pAllocateInfo, VkCommandBuffer* pCommandBuffers);
    [LibraryImport(Library)] public static partial void vkFreeCommandBuffers(VkDevice device, VkCommandPool commandPool, uint commandBufferCount, VkCommandBuffer* pCommandBuffers);
    [LibraryImport(Library)] public static partial VkResult vkBeginCommandBuffer(VkCommandBuffer commandBuffer, VkCommandBufferBeginInfo* pBeginInfo);
    [LibraryImport(Library)] public static partial VkResult vkEndCommandBuffer(VkCommandBuffer commandBuffer);
    [LibraryImport(Library)] public static partial VkResult vkResetCommandBuffer(VkCommandBuffer commandBuffer, uint flags);
    [LibraryImport(Library)] public static partial void vkCmdBindPipeline(VkCommandBuffer commandBuffer, VkPipelineBindPoint pipelineBindPoint, VkPipeline pipeline);
    [LibraryImport(Library)] public static partial void vkCmdBindDescriptorSets(VkCommandBuffer commandBuffer, VkPipelineBindPoint pipelineBindPoint, VkPipelineLayout layout, uint firstSet, uint descriptorSetCount, VkDescriptorSet* pDescriptorSets, uint dynamicOffsetCount, uint* pDynamicOffsets);
    [LibraryImport(Library)] public static partial void vkCmdPushConstants(VkCommandBuffer commandBuffer, VkPipelineLayout layout, uint stageFlags, uint offset, uint size, void* pValues);
    [LibraryImport(Library)] public static partial void vkCmdDispatch(VkCommandBuffer commandBuffer, uint groupCountX, uint groupCountY, uint groupCountZ);
    [LibraryImport(Library)] public static partial void vkCmdPipelineBarrier(VkCommandBuffer commandBuffer, uint srcStageMask, uint dstStageMask, uint dependencyFlags, uint memoryBarrierCount, VkMemoryBarrier* pMemoryBarriers, uint bufferMemoryBarrierCount, void* pBufferMemoryBarriers, uint imageMemoryBarrierCount, void* pImageMemoryBarriers);
    [LibraryImport(Library)] public static partial void vkCmdCopyBuffer(VkCommandBuffer commandBuffer, VkBuffer srcBuffer, VkBuffer dstBuffer, uint regionCount, VkBufferCopy* pRegions);
    [LibraryImport(Library)] public static partial void vkCmdFillBuffer(VkCommandBuffer commandBuffer, VkBuffer dstBuffer, ulong dstOffset, ulong size, uint data);
    [LibraryImport(Library)] public static partial VkResult vkCreateFence(VkDevice device, VkFenceCreateInfo* pCreateInfo, void* pAllocator, VkFence* pFence);
    [LibraryImport(Library)] public static partial void vkDestroyFence(VkDevice device, VkFence fence, void* pAllocator);
    [LibraryImport(Library)] public static partial VkResult vkWaitForFences(VkDevice device, uint fenceCount, VkFence* pFences, uint waitAll, ulong timeout);
    [LibraryImport(Library)] public static partial VkResult vkResetFences(VkDevice device, uint fenceCount, VkFence* pFences);
    [LibraryImport(Library)] public static partial VkResult vkGetFenceStatus(VkDevice device, VkFence fence);
}

/// <summary>
/// Extension entry points, looked up at run time because the loader does not export them.
/// A null pointer means the extension is not enabled on that instance/device.
/// </summary>
internal static unsafe class VkExtensions
{
    public static delegate* unmanaged<VkInstance, VkDebugUtilsMessengerCreateInfoEXT*, void*, VkDebugUtilsMessengerEXT*, VkResult>
        vkCreateDebugUtilsMessengerEXT(VkInstance instance) =>
        (delegate* unmanaged<VkInstance, VkDebugUtilsMessengerCreateInfoEXT*, void*, VkDebugUtilsMessengerEXT*, VkResult>)InstanceProc(instance, "vkCreateDebugUtilsMessengerEXT");

    public static delegate* unmanaged<VkInstance, VkDebugUtilsMessengerEXT, void*, void>
        vkDestroyDebugUtilsMessengerEXT(VkInstance instance) =>
        (delegate* unmanaged<VkInstance, VkDebugUtilsMessengerEXT, void*, void>)InstanceProc(instance, "vkDestroyDebugUtilsMessengerEXT");

    public static nint InstanceProc(VkInstance instance, string name)
    {
        var utf8 = Utf8.Encode(name);
        fixed (byte* p = utf8) return Vk.vkGetInstanceProcAddr(instance, p);
    }

    public static nint DeviceProc(VkDevice device, string name)
    {
        var utf8 = Utf8.Encode(name);
        fixed (byte* p = utf8) return Vk.vkGetDeviceProcAddr(device, p);
    }
}

/// <summary>Null-terminated UTF-8 strings for the C API, and back.</summary>
internal static unsafe class Utf8
{
    public static byte[] Encode(string s)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(s) + 1];
        System.Text.Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }

    public static string Decode(byte* p) => p == null ? "" : Marshal.PtrToStringUTF8((nint)p) ?? "";
}
