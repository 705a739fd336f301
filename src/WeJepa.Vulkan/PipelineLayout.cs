namespace WeJepa.Vulkan;

/// <summary><c>VkPipelineLayout</c>: one descriptor set and one push-constant range for the compute stage.</summary>
internal sealed unsafe class PipelineLayout : DeviceObject
{
    public Vk.PipelineLayout Handle { get; private set; }

    public PipelineLayout(VulkanDevice device, DescriptorSetLayout setLayout, int pushConstantBytes) : base(device)
    {
        var set = setLayout.Handle;
        var range = new Vk.PushConstantRange(Vk.ShaderStageFlags.ComputeBit, offset: 0, size: (uint)pushConstantBytes);
        var info = new Vk.PipelineLayoutCreateInfo(
            setLayoutCount: 1, pSetLayouts: &set,
            pushConstantRangeCount: pushConstantBytes > 0 ? 1u : 0u, pPushConstantRanges: &range);
        Vk.PipelineLayout layout;
        Api.CreatePipelineLayout(device.Handle, &info, null, &layout).Check();
        Handle = layout;
        Register();
    }

    private protected override void Destroy()
    {
        Api.DestroyPipelineLayout(Device.Handle, Handle, null);
        Handle = default;
    }
}
