using System.Reflection;
using WeJepa.Core.Errors;

namespace WeJepa.Vulkan;

/// <summary>
/// The Vulkan binding: Silk.NET.Vulkan over the loader <c>libvulkan.so.1</c>. Core entry points are the
/// loader's exports (trampolines that dispatch on the handle, so one table serves every instance and
/// device); extension entry points are looked up per instance or device in <see cref="Extensions"/>.
/// Silk.NET's own fallback for names the loader does not export (its CurrentInstance/CurrentDevice)
/// is never relied on: with two drivers it would call one driver's function with the other's handles.
/// </summary>
internal static class VulkanLibrary
{
    public const string Loader = "libvulkan.so.1";

    private static Vk.Vk? api;

    /// <summary>The entry points. The first use is where a missing loader shows up (a <see cref="UserError"/>, exit code 3).</summary>
    public static Vk.Vk Api => api ??= Load(Vk.Vk.GetApi);

    /// <summary>"Silk.NET.Vulkan 2.23.0": the binding in use, for <c>wejepa doctor</c>.</summary>
    public static string Binding
    {
        get
        {
            var assembly = typeof(Vk.Vk).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                          ?? assembly.GetName().Version?.ToString(3);
            return $"{assembly.GetName().Name} {version}";
        }
    }

    /// <param name="open">Silk.NET's GetApi, which loads the library (a test passes a missing one).</param>
    internal static Vk.Vk Load(Func<Vk.Vk> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is FileNotFoundException or DllNotFoundException)
        {
            throw new UserError($"the Vulkan loader {Loader} was not found. {VulkanInstance.InstallHint}", ExitCodes.MissingDependency, e);
        }
    }
}
