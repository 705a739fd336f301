namespace WeJepa.Native.Vulkan;

// Only the enum values and flag bits the project uses, with the C API's names and values.

internal enum VkResult
{
    VK_SUCCESS = 0,
    VK_NOT_READY = 1,
    VK_TIMEOUT = 2,
    VK_EVENT_SET = 3,
    VK_EVENT_RESET = 4,
    VK_INCOMPLETE = 5,
    VK_ERROR_OUT_OF_HOST_MEMORY = -1,
    VK_ERROR_OUT_OF_DEVICE_MEMORY = -2,
    VK_ERROR_INITIALIZATION_FAILED = -3,
    VK_ERROR_DEVICE_LOST = -4,
    VK_ERROR_MEMORY_MAP_FAILED = -5,
    VK_ERROR_LAYER_NOT_PRESENT = -6,
    VK_ERROR_EXTENSION_NOT_PRESENT = -7,
    VK_ERROR_FEATURE_NOT_PRESENT = -8,
    VK_ERROR_INCOMPATIBLE_DRIVER = -9,
    VK_ERROR_TOO_MANY_OBJECTS = -10,
    VK_ERROR_FORMAT_NOT_SUPPORTED = -11,
    VK_ERROR_FRAGMENTED_POOL = -12,
    VK_ERROR_UNKNOWN = -13,
    VK_ERROR_OUT_OF_POOL_MEMORY = -1000069000,
    VK_ERROR_INVALID_EXTERNAL_HANDLE = -1000072003,
    VK_ERROR_SURFACE_LOST_KHR = -1000000000,
    VK_ERROR_OUT_OF_DATE_KHR = -1000001004,
    VK_SUBOPTIMAL_KHR = 1000001003,
    VK_ERROR_VALIDATION_FAILED_EXT = -1000011001,
}

internal enum VkStructureType : uint
{
    VK_STRUCTURE_TYPE_APPLICATION_INFO = 0,
    VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO = 1,
    VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO = 2,
    VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO = 3,
    VK_STRUCTURE_TYPE_SUBMIT_INFO = 4,
    VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO = 5,
    VK_STRUCTURE_TYPE_FENCE_CREATE_INFO = 8,
    VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO = 12,
    VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO = 16,
    VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO = 18,
    VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO = 29,
    VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO = 30,
    VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO = 32,
    VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO = 33,
    VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO = 34,
    VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET = 35,
    VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO = 39,
    VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO = 40,
    VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO = 42,
    VK_STRUCTURE_TYPE_MEMORY_BARRIER = 46,
    VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT = 1000128003,
    VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT = 1000128004,
}

internal enum VkPhysicalDeviceType : uint
{
    VK_PHYSICAL_DEVICE_TYPE_OTHER = 0,
    VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU = 1,
    VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU = 2,
    VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU = 3,
    VK_PHYSICAL_DEVICE_TYPE_CPU = 4,
}

internal enum VkDescriptorType : uint
{
    VK_DESCRIPTOR_TYPE_STORAGE_BUFFER = 7,
}

internal enum VkPipelineBindPoint : uint
{
    VK_PIPELINE_BIND_POINT_COMPUTE = 1,
}

internal enum VkCommandBufferLevel : uint
{
    VK_COMMAND_BUFFER_LEVEL_PRIMARY = 0,
}

internal enum VkSharingMode : uint
{
    VK_SHARING_MODE_EXCLUSIVE = 0,
}

internal static class VkQueueFlags
{
    public const uint VK_QUEUE_GRAPHICS_BIT = 0x1;
    public const uint VK_QUEUE_COMPUTE_BIT = 0x2;
    public const uint VK_QUEUE_TRANSFER_BIT = 0x4;
}

internal static class VkMemoryPropertyFlags
{
    public const uint VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT = 0x1;
    public const uint VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT = 0x2;
    public const uint VK_MEMORY_PROPERTY_HOST_COHERENT_BIT = 0x4;
    public const uint VK_MEMORY_PROPERTY_HOST_CACHED_BIT = 0x8;
}

internal static class VkMemoryHeapFlags
{
    public const uint VK_MEMORY_HEAP_DEVICE_LOCAL_BIT = 0x1;
}

internal static class VkBufferUsageFlags
{
    public const uint VK_BUFFER_USAGE_TRANSFER_SRC_BIT = 0x1;
    public const uint VK_BUFFER_USAGE_TRANSFER_DST_BIT = 0x2;
    public const uint VK_BUFFER_USAGE_STORAGE_BUFFER_BIT = 0x20;
}

internal static class VkShaderStageFlags
{
    public const uint VK_SHADER_STAGE_COMPUTE_BIT = 0x20;
}

internal static class VkPipelineStageFlags
{
    public const uint VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT = 0x1;
    public const uint VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT = 0x800;
    public const uint VK_PIPELINE_STAGE_TRANSFER_BIT = 0x1000;
    public const uint VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT = 0x2000;
    public const uint VK_PIPELINE_STAGE_HOST_BIT = 0x4000;
}

internal static class VkAccessFlags
{
    public const uint VK_ACCESS_SHADER_READ_BIT = 0x20;
    public const uint VK_ACCESS_SHADER_WRITE_BIT = 0x40;
    public const uint VK_ACCESS_TRANSFER_READ_BIT = 0x800;
    public const uint VK_ACCESS_TRANSFER_WRITE_BIT = 0x1000;
    public const uint VK_ACCESS_HOST_READ_BIT = 0x2000;
    public const uint VK_ACCESS_HOST_WRITE_BIT = 0x4000;
}

internal static class VkCommandPoolCreateFlags
{
    public const uint VK_COMMAND_POOL_CREATE_TRANSIENT_BIT = 0x1;
    public const uint VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT = 0x2;
}

internal static class VkCommandBufferUsageFlags
{
    public const uint VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT = 0x1;
    public const uint VK_COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT = 0x4;
}

internal static class VkDebugUtilsMessageSeverityFlagsEXT
{
    public const uint VK_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT = 0x1;
    public const uint VK_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT = 0x10;
    public const uint VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT = 0x100;
    public const uint VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT = 0x1000;
}

internal static class VkDebugUtilsMessageTypeFlagsEXT
{
    public const uint VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT = 0x1;
    public const uint VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT = 0x2;
    public const uint VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT = 0x4;
}

internal static class VkConstants
{
    public const uint VK_API_VERSION_1_2 = (1u << 22) | (2u << 12);
    public const uint VK_API_VERSION_1_3 = (1u << 22) | (3u << 12);
    public const uint VK_QUEUE_FAMILY_IGNORED = ~0u;
    public const ulong VK_WHOLE_SIZE = ~0ul;
    public const int VK_MAX_PHYSICAL_DEVICE_NAME_SIZE = 256;
    public const int VK_MAX_EXTENSION_NAME_SIZE = 256;
    public const int VK_MAX_DESCRIPTION_SIZE = 256;
    public const int VK_UUID_SIZE = 16;
    public const int VK_MAX_MEMORY_TYPES = 32;
    public const int VK_MAX_MEMORY_HEAPS = 16;
    public const uint VK_TRUE = 1;
    public const uint VK_FALSE = 0;
    public const string VK_LAYER_KHRONOS_validation = "VK_LAYER_KHRONOS_validation";
    public const string VK_EXT_debug_utils = "VK_EXT_debug_utils";

    public static uint VK_API_VERSION_MAJOR(uint v) => v >> 22;
    public static uint VK_API_VERSION_MINOR(uint v) => (v >> 12) & 0x3FF;
    public static uint VK_API_VERSION_PATCH(uint v) => v & 0xFFF;
}
