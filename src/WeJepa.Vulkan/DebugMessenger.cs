using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Silk.NET.Core;
using Silk.NET.Core.Native;
using WeJepa.Vulkan.Extensions;

namespace WeJepa.Vulkan;

/// <summary>
/// <c>VkDebugUtilsMessengerEXT</c>: collects the validation layer's warnings and errors. A callback
/// must not throw into native code, so errors are recorded and surfaced by
/// <see cref="VulkanDevice.ThrowIfValidationErrors"/> (tests call it after each test).
/// </summary>
internal sealed unsafe class DebugMessenger : IDisposable
{
    private readonly VulkanInstance instance;
    private readonly DebugUtils functions;
    private GCHandle self;
    private Vk.DebugUtilsMessengerEXT handle;
    private readonly List<string> errors = [];
    private readonly List<string> warnings = [];
    private readonly Lock gate = new();

    public DebugMessenger(VulkanInstance instance)
    {
        this.instance = instance;
        functions = new DebugUtils(instance.Handle);
        self = GCHandle.Alloc(this);
        var info = new Vk.DebugUtilsMessengerCreateInfoEXT(
            messageSeverity: Vk.DebugUtilsMessageSeverityFlagsEXT.WarningBitExt | Vk.DebugUtilsMessageSeverityFlagsEXT.ErrorBitExt,
            messageType: Vk.DebugUtilsMessageTypeFlagsEXT.GeneralBitExt | Vk.DebugUtilsMessageTypeFlagsEXT.ValidationBitExt,
            pfnUserCallback: new Vk.PfnDebugUtilsMessengerCallbackEXT(&OnMessage),
            pUserData: (void*)GCHandle.ToIntPtr(self));
        Vk.DebugUtilsMessengerEXT messenger;
        var result = functions.CreateDebugUtilsMessenger(instance.Handle, &info, null, &messenger);
        if (result < 0)
        {
            self.Free();
            throw VkCheck.Error(result, "vkCreateDebugUtilsMessengerEXT");
        }
        handle = messenger;
    }

    public IReadOnlyList<string> Errors { get { lock (gate) return [.. errors]; } }
    public IReadOnlyList<string> Warnings { get { lock (gate) return [.. warnings]; } }

    public void Clear()
    {
        lock (gate) { errors.Clear(); warnings.Clear(); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static Bool32 OnMessage(Vk.DebugUtilsMessageSeverityFlagsEXT severity, Vk.DebugUtilsMessageTypeFlagsEXT types,
        Vk.DebugUtilsMessengerCallbackDataEXT* data, void* user)
    {
        var messenger = (DebugMessenger)GCHandle.FromIntPtr((nint)user).Target!;
        var text = $"{SilkMarshal.PtrToString((nint)data->PMessageIdName)}: {SilkMarshal.PtrToString((nint)data->PMessage)}";
        lock (messenger.gate)
            (severity.HasFlag(Vk.DebugUtilsMessageSeverityFlagsEXT.ErrorBitExt) ? messenger.errors : messenger.warnings).Add(text);
        return false;   // never abort the call: the layer's verdict is reported, not enforced
    }

    public void Dispose()
    {
        if (handle.Handle == 0) return;
        functions.DestroyDebugUtilsMessenger(instance.Handle, handle, null);
        handle = default;
        self.Free();
    }
}
