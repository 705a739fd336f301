using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary><c>VkDescriptorSetLayout</c>: bindings 0..n-1, each one storage buffer for the compute stage.</summary>
internal sealed unsafe class DescriptorSetLayout : DeviceObject
{
    public VkDescriptorSetLayout Handle { get; private set; }
    public int StorageBuffers { get; }

    public DescriptorSetLayout(VulkanDevice device, int storageBuffers) : base(device)
    {
        StorageBuffers = storageBuffers;
        var bindings = stackalloc VkDescriptorSetLayoutBinding[Math.Max(1, storageBuffers)];
        for (var i = 0; i < storageBuffers; i++)
            bindings[i] = new VkDescriptorSetLayoutBinding
            {
                binding = (uint)i,
                descriptorType = VkDescriptorType.VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                descriptorCount = 1,
                stageFlags = VkShaderStageFlags.VK_SHADER_STAGE_COMPUTE_BIT,
            };
        var info = new VkDescriptorSetLayoutCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
            bindingCount = (uint)storageBuffers,
            pBindings = bindings,
        };
        VkDescriptorSetLayout layout;
        Vk.vkCreateDescriptorSetLayout(device.Handle, &info, null, &layout).Check();
        Handle = layout;
        Register();
    }

    private protected override void Destroy()
    {
        Vk.vkDestroyDescriptorSetLayout(Device.Handle, Handle, null);
        Handle = default;
    }
}
