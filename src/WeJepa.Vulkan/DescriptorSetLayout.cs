namespace WeJepa.Vulkan;

/// <summary><c>VkDescriptorSetLayout</c>: bindings 0..n-1, each one storage buffer for the compute stage.</summary>
internal sealed unsafe class DescriptorSetLayout : DeviceObject
{
    public Vk.DescriptorSetLayout Handle { get; private set; }
    public int StorageBuffers { get; }

    public DescriptorSetLayout(VulkanDevice device, int storageBuffers) : base(device)
    {
        StorageBuffers = storageBuffers;
        var bindings = stackalloc Vk.DescriptorSetLayoutBinding[Math.Max(1, storageBuffers)];
        for (var i = 0; i < storageBuffers; i++)
            bindings[i] = new Vk.DescriptorSetLayoutBinding(
                binding: (uint)i, descriptorType: Vk.DescriptorType.StorageBuffer, descriptorCount: 1, stageFlags: Vk.ShaderStageFlags.ComputeBit);
        var info = new Vk.DescriptorSetLayoutCreateInfo(bindingCount: (uint)storageBuffers, pBindings: bindings);
        Vk.DescriptorSetLayout layout;
        Api.CreateDescriptorSetLayout(device.Handle, &info, null, &layout).Check();
        Handle = layout;
        Register();
    }

    private protected override void Destroy()
    {
        Api.DestroyDescriptorSetLayout(Device.Handle, Handle, null);
        Handle = default;
    }
}
