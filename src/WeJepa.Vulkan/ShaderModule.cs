using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary><c>VkShaderModule</c>; only needed until the pipeline is built.</summary>
internal sealed unsafe class ShaderModule : DeviceObject
{
    public VkShaderModule Handle { get; private set; }

    public ShaderModule(VulkanDevice device, ReadOnlySpan<uint> spirv) : base(device)
    {
        fixed (uint* code = spirv)
        {
            var info = new VkShaderModuleCreateInfo
            {
                sType = VkStructureType.VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                codeSize = (nuint)(spirv.Length * 4),
                pCode = code,
            };
            VkShaderModule module;
            Vk.vkCreateShaderModule(device.Handle, &info, null, &module).Check();
            Handle = module;
        }
        Register();
    }

    private protected override void Destroy()
    {
        Vk.vkDestroyShaderModule(Device.Handle, Handle, null);
        Handle = default;
    }
}
