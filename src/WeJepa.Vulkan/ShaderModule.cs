namespace WeJepa.Vulkan;

/// <summary><c>VkShaderModule</c>; only needed until the pipeline is built.</summary>
internal sealed unsafe class ShaderModule : DeviceObject
{
    public Vk.ShaderModule Handle { get; private set; }

    public ShaderModule(VulkanDevice device, ReadOnlySpan<uint> spirv) : base(device)
    {
        fixed (uint* code = spirv)
        {
            var info = new Vk.ShaderModuleCreateInfo(codeSize: (nuint)(spirv.Length * 4), pCode: code);
            Vk.ShaderModule module;
            Api.CreateShaderModule(device.Handle, &info, null, &module).Check();
            Handle = module;
        }
        Register();
    }

    private protected override void Destroy()
    {
        Api.DestroyShaderModule(Device.Handle, Handle, null);
        Handle = default;
    }
}
