namespace WeJepa.Native.Vulkan;

// Blittable mirrors of the C structs (field order and types exactly as in vulkan_core.h; VkBool32 is
// uint, VkDeviceSize is ulong, size_t is nuint, strings are byte*). Sizes of the big ones are checked
// by tests against the C ABI.

internal unsafe struct VkApplicationInfo
{
    public VkStructureType sType;
    public void* pNext;
    public byte* pApplicationName;
    public uint applicationVersion;
    public byte* pEngineName;
    public uint engineVersion;
    public uint apiVersion;
}

internal unsafe struct VkInstanceCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public VkApplicationInfo* pApplicationInfo;
    public uint enabledLayerCount;
    public byte** ppEnabledLayerNames;
    public uint enabledExtensionCount;
    public byte** ppEnabledExtensionNames;
}

internal unsafe struct VkLayerProperties
{
    public fixed byte layerName[VkConstants.VK_MAX_EXTENSION_NAME_SIZE];
    public uint specVersion;
    public uint implementationVersion;
    public fixed byte description[VkConstants.VK_MAX_DESCRIPTION_SIZE];
}

internal unsafe struct VkExtensionProperties
{
    public fixed byte extensionName[VkConstants.VK_MAX_EXTENSION_NAME_SIZE];
    public uint specVersion;
}

internal unsafe struct VkPhysicalDeviceLimits
{
    public uint maxImageDimension1D;
    public uint maxImageDimension2D;
    public uint maxImageDimension3D;
    public uint maxImageDimensionCube;
    public uint maxImageArrayLayers;
    public uint maxTexelBufferElements;
    public uint maxUniformBufferRange;
    public uint maxStorageBufferRange;
    public uint maxPushConstantsSize;
    public uint maxMemoryAllocationCount;
    public uint maxSamplerAllocationCount;
    public ulong bufferImageGranularity;
    public ulong sparseAddressSpaceSize;
    public uint maxBoundDescriptorSets;
    public uint maxPerStageDescriptorSamplers;
    public uint maxPerStageDescriptorUniformBuffers;
    public uint maxPerStageDescriptorStorageBuffers;
    public uint maxPerStageDescriptorSampledImages;
    public uint maxPerStageDescriptorStorageImages;
    public uint maxPerStageDescriptorInputAttachments;
    public uint maxPerStageResources;
    public uint maxDescriptorSetSamplers;
    public uint maxDescriptorSetUniformBuffers;
    public uint maxDescriptorSetUniformBuffersDynamic;
    public uint maxDescriptorSetStorageBuffers;
    public uint maxDescriptorSetStorageBuffersDynamic;
    public uint maxDescriptorSetSampledImages;
    public uint maxDescriptorSetStorageImages;
    public uint maxDescriptorSetInputAttachments;
    public uint maxVertexInputAttributes;
    public uint maxVertexInputBindings;
    public uint maxVertexInputAttributeOffset;
    public uint maxVertexInputBindingStride;
    public uint maxVertexOutputComponents;
    public uint maxTessellationGenerationLevel;
    public uint maxTessellationPatchSize;
    public uint maxTessellationControlPerVertexInputComponents;
    public uint maxTessellationControlPerVertexOutputComponents;
    public uint maxTessellationControlPerPatchOutputComponents;
    public uint maxTessellationControlTotalOutputComponents;
    public uint maxTessellationEvaluationInputComponents;
    public uint maxTessellationEvaluationOutputComponents;
    public uint maxGeometryShaderInvocations;
    public uint maxGeometryInputComponents;
    public uint maxGeometryOutputComponents;
    public uint maxGeometryOutputVertices;
    public uint maxGeometryTotalOutputComponents;
    public uint maxFragmentInputComponents;
    public uint maxFragmentOutputAttachments;
    public uint maxFragmentDualSrcAttachments;
    public uint maxFragmentCombinedOutputResources;
    public uint maxComputeSharedMemorySize;
    public fixed uint maxComputeWorkGroupCount[3];
    public uint maxComputeWorkGroupInvocations;
    public fixed uint maxComputeWorkGroupSize[3];
    public uint subPixelPrecisionBits;
    public uint subTexelPrecisionBits;
    public uint mipmapPrecisionBits;
    public uint maxDrawIndexedIndexValue;
    public uint maxDrawIndirectCount;
    public float maxSamplerLodBias;
    public float maxSamplerAnisotropy;
    public uint maxViewports;
    public fixed uint maxViewportDimensions[2];
    public fixed float viewportBoundsRange[2];
    public uint viewportSubPixelBits;
    public nuint minMemoryMapAlignment;
    public ulong minTexelBufferOffsetAlignment;
    public ulong minUniformBufferOffsetAlignment;
    public ulong minStorageBufferOffsetAlignment;
    public int minTexelOffset;
    public uint maxTexelOffset;
    public int minTexelGatherOffset;
    public uint maxTexelGatherOffset;
    public float minInterpolationOffset;
    public float maxInterpolationOffset;
    public uint subPixelInterpolationOffsetBits;
    public uint maxFramebufferWidth;
    public uint maxFramebufferHeight;
    public uint maxFramebufferLayers;
    public uint framebufferColorSampleCounts;
    public uint framebufferDepthSampleCounts;
    public uint framebufferStencilSampleCounts;
    public uint framebufferNoAttachmentsSampleCounts;
    public uint maxColorAttachments;
    public uint sampledImageColorSampleCounts;
    public uint sampledImageIntegerSampleCounts;
    public uint sampledImageDepthSampleCounts;
    public uint sampledImageStencilSampleCounts;
    public uint storageImageSampleCounts;
    public uint maxSampleMaskWords;
    public uint timestampComputeAndGraphics;
    public float timestampPeriod;
    public uint maxClipDistances;
    public uint maxCullDistances;
    public uint maxCombinedClipAndCullDistances;
    public uint discreteQueuePriorities;
    public fixed float pointSizeRange[2];
    public fixed float lineWidthRange[2];
    public float pointSizeGranularity;
    public float lineWidthGranularity;
    public uint strictLines;
    public uint standardSampleLocations;
    public ulong optimalBufferCopyOffsetAlignment;
    public ulong optimalBufferCopyRowPitchAlignment;
    public ulong nonCoherentAtomSize;
}

internal struct VkPhysicalDeviceSparseProperties
{
    public uint residencyStandard2DBlockShape;
    public uint residencyStandard2DMultisampleBlockShape;
    public uint residencyStandard3DBlockShape;
    public uint residencyAlignedMipSize;
    public uint residencyNonResidentStrict;
}

internal unsafe struct VkPhysicalDeviceProperties
{
    public uint apiVersion;
    public uint driverVersion;
    public uint vendorID;
    public uint deviceID;
    public VkPhysicalDeviceType deviceType;
    public fixed byte deviceName[VkConstants.VK_MAX_PHYSICAL_DEVICE_NAME_SIZE];
    public fixed byte pipelineCacheUUID[VkConstants.VK_UUID_SIZE];
    public VkPhysicalDeviceLimits limits;
    public VkPhysicalDeviceSparseProperties sparseProperties;
}

internal struct VkMemoryType
{
    public uint propertyFlags;
    public uint heapIndex;
}

internal struct VkMemoryHeap
{
    public ulong size;
    public uint flags;
}

internal unsafe struct VkPhysicalDeviceMemoryProperties
{
    public uint memoryTypeCount;
    public fixed uint memoryTypes[VkConstants.VK_MAX_MEMORY_TYPES * 2];   // VkMemoryType[32], two uints each
    public uint memoryHeapCount;
    public fixed ulong memoryHeaps[VkConstants.VK_MAX_MEMORY_HEAPS * 2];  // VkMemoryHeap[16], (size, flags padded to 8)

    public VkMemoryType MemoryType(int i) => new() { propertyFlags = memoryTypes[2 * i], heapIndex = memoryTypes[2 * i + 1] };
    public VkMemoryHeap MemoryHeap(int i) => new() { size = memoryHeaps[2 * i], flags = (uint)memoryHeaps[2 * i + 1] };
}

internal struct VkExtent3D
{
    public uint width;
    public uint height;
    public uint depth;
}

internal struct VkQueueFamilyProperties
{
    public uint queueFlags;
    public uint queueCount;
    public uint timestampValidBits;
    public VkExtent3D minImageTransferGranularity;
}

internal unsafe struct VkDeviceQueueCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint queueFamilyIndex;
    public uint queueCount;
    public float* pQueuePriorities;
}

internal unsafe struct VkDeviceCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint queueCreateInfoCount;
    public VkDeviceQueueCreateInfo* pQueueCreateInfos;
    public uint enabledLayerCount;
    public byte** ppEnabledLayerNames;
    public uint enabledExtensionCount;
    public byte** ppEnabledExtensionNames;
    public void* pEnabledFeatures;
}

internal unsafe struct VkBufferCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public ulong size;
    public uint usage;
    public VkSharingMode sharingMode;
    public uint queueFamilyIndexCount;
    public uint* pQueueFamilyIndices;
}

internal struct VkMemoryRequirements
{
    public ulong size;
    public ulong alignment;
    public uint memoryTypeBits;
}

internal unsafe struct VkMemoryAllocateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public ulong allocationSize;
    public uint memoryTypeIndex;
}

internal unsafe struct VkShaderModuleCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public nuint codeSize;
    public uint* pCode;
}

internal unsafe struct VkDescriptorSetLayoutBinding
{
    public uint binding;
    public VkDescriptorType descriptorType;
    public uint descriptorCount;
    public uint stageFlags;
    public void* pImmutableSamplers;
}

internal unsafe struct VkDescriptorSetLayoutCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint bindingCount;
    public VkDescriptorSetLayoutBinding* pBindings;
}

internal struct VkPushConstantRange
{
    public uint stageFlags;
    public uint offset;
    public uint size;
}

internal unsafe struct VkPipelineLayoutCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint setLayoutCount;
    public VkDescriptorSetLayout* pSetLayouts;
    public uint pushConstantRangeCount;
    public VkPushConstantRange* pPushConstantRanges;
}

internal struct VkSpecializationMapEntry
{
    public uint constantID;
    public uint offset;
    public nuint size;
}

internal unsafe struct VkSpecializationInfo
{
    public uint mapEntryCount;
    public VkSpecializationMapEntry* pMapEntries;
    public nuint dataSize;
    public void* pData;
}

internal unsafe struct VkPipelineShaderStageCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint stage;
    public VkShaderModule module;
    public byte* pName;
    public VkSpecializationInfo* pSpecializationInfo;
}

internal unsafe struct VkComputePipelineCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public VkPipelineShaderStageCreateInfo stage;
    public VkPipelineLayout layout;
    public VkPipeline basePipelineHandle;
    public int basePipelineIndex;
}

internal struct VkDescriptorPoolSize
{
    public VkDescriptorType type;
    public uint descriptorCount;
}

internal unsafe struct VkDescriptorPoolCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint maxSets;
    public uint poolSizeCount;
    public VkDescriptorPoolSize* pPoolSizes;
}

internal unsafe struct VkDescriptorSetAllocateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public VkDescriptorPool descriptorPool;
    public uint descriptorSetCount;
    public VkDescriptorSetLayout* pSetLayouts;
}

internal struct VkDescriptorBufferInfo
{
    public VkBuffer buffer;
    public ulong offset;
    public ulong range;
}

internal unsafe struct VkWriteDescriptorSet
{
    public VkStructureType sType;
    public void* pNext;
    public VkDescriptorSet dstSet;
    public uint dstBinding;
    public uint dstArrayElement;
    public uint descriptorCount;
    public VkDescriptorType descriptorType;
    public void* pImageInfo;
    public VkDescriptorBufferInfo* pBufferInfo;
    public void* pTexelBufferView;
}

internal unsafe struct VkCommandPoolCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint queueFamilyIndex;
}

internal unsafe struct VkCommandBufferAllocateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public VkCommandPool commandPool;
    public VkCommandBufferLevel level;
    public uint commandBufferCount;
}

internal unsafe struct VkCommandBufferBeginInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public void* pInheritanceInfo;
}

internal unsafe struct VkSubmitInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint waitSemaphoreCount;
    public VkSemaphore* pWaitSemaphores;
    public uint* pWaitDstStageMask;
    public uint commandBufferCount;
    public VkCommandBuffer* pCommandBuffers;
    public uint signalSemaphoreCount;
    public VkSemaphore* pSignalSemaphores;
}

internal unsafe struct VkFenceCreateInfo
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
}

internal unsafe struct VkMemoryBarrier
{
    public VkStructureType sType;
    public void* pNext;
    public uint srcAccessMask;
    public uint dstAccessMask;
}

internal struct VkBufferCopy
{
    public ulong srcOffset;
    public ulong dstOffset;
    public ulong size;
}

internal unsafe struct VkDebugUtilsMessengerCreateInfoEXT
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public uint messageSeverity;
    public uint messageType;
    /// <summary>PFN_vkDebugUtilsMessengerCallbackEXT: (severity, types, callbackData*, userData*) → VkBool32.</summary>
    public delegate* unmanaged<uint, uint, VkDebugUtilsMessengerCallbackDataEXT*, void*, uint> pfnUserCallback;
    public void* pUserData;
}

internal unsafe struct VkDebugUtilsMessengerCallbackDataEXT
{
    public VkStructureType sType;
    public void* pNext;
    public uint flags;
    public byte* pMessageIdName;
    public int messageIdNumber;
    public byte* pMessage;
    public uint queueLabelCount;
    public void* pQueueLabels;
    public uint cmdBufLabelCount;
    public void* pCmdBufLabels;
    public uint objectCount;
    public void* pObjects;
}
