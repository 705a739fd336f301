using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary><c>VkPipelineLayout</c>: one descriptor set and one push-constant range for the compute stage.</summary>
internal sealed unsafe class PipelineLayout : DeviceObject
{
    public VkPipelineLayout Handle { get; private set; }

    public PipelineLayout(VulkanDevice device, DescriptorSetLayout setLayout, int pushConstantBytes) : base(device)
    {
        var set = setLayout.Handle;
        var range = new VkPushConstantRange
        {
            stageFlags = VkShaderStageFlags.VK_SHADER_STAGE_COMPUTE_BIT,
            offset = 0,
            size = (uint)pushConstantBytes,
        };
        var info = new VkPipelineLayoutCreateInfo
        {
            sType = VkStructureType.VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
            setLayoutCount = 1,
            pSetLayouts = &set,
            pushConstantRangeCount = pushConstantBytes > 0 ? 1u : 0u,
            pPushConstantRanges = &range,
        };
        VkPipelineLayout layout;
        Vk.vkCreatePipelineLayout(device.Handle, &info, null, &layout).Check();
        Handle = layout;
        Register();
    }

    private protected override void Destroy()
    {
        Vk.vkDestroyPipelineLayout(Device.Handle, Handle, null);
        Handle = default;
    }
}
