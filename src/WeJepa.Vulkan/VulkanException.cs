using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using WeJepa.Native.Vulkan;

namespace WeJepa.Vulkan;

/// <summary>A Vulkan call returned an error code. The message names the call and the code.</summary>
public sealed class VulkanException(string call, string result, int code)
    : Exception($"{call} failed: {result} ({code})")
{
    /// <summary>The C function that failed, e.g. <c>vkCreateBuffer</c>.</summary>
    public string Call { get; } = call;
    /// <summary>The <c>VkResult</c> name, e.g. <c>VK_ERROR_OUT_OF_DEVICE_MEMORY</c>.</summary>
    public string Result { get; } = result;
    public int Code { get; } = code;
}

/// <summary>
/// Checks every <c>VkResult</c>, in every build configuration (unlike a Debug.Assert): negative codes
/// throw a <see cref="VulkanException"/> naming the call, taken from the call expression itself.
/// </summary>
internal static partial class VkCheck
{
    public static VkResult Check(this VkResult result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result < 0) throw Error(result, call);
        return result;
    }

    public static VulkanException Error(VkResult result, string call) =>
        new(CallName(call), Enum.IsDefined(result) ? result.ToString() : "VkResult", (int)result);

    /// <summary>"Vk.vkCreateBuffer(device, &amp;info, null, &amp;b)" → "vkCreateBuffer"; a bare name stays as it is.</summary>
    internal static string CallName(string expression)
    {
        var match = VkFunction().Match(expression);
        return match.Success ? match.Groups[1].Value : expression;
    }

    [GeneratedRegex(@"\b(vk[A-Z]\w*)")]
    private static partial Regex VkFunction();
}
