using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Silk.NET.Core.Attributes;

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
    public static Vk.Result Check(this Vk.Result result, [CallerArgumentExpression(nameof(result))] string call = "")
    {
        if (result < 0) throw Error(result, call);
        return result;
    }

    public static VulkanException Error(Vk.Result result, string call) => new(CallName(call), result.Name(), (int)result);

    /// <summary>The C name of a code, e.g. "VK_ERROR_DEVICE_LOST"; "VkResult" for a code Vulkan does not define.</summary>
    public static string Name(this Vk.Result result) => ResultNames.GetValueOrDefault(result, "VkResult");

    /// <summary>
    /// The C name of the function called: "Api.CreateBuffer(device, &amp;info, null, &amp;b)" → "vkCreateBuffer";
    /// "vkAllocateMemory (no memory type)" → "vkAllocateMemory"; a bare name stays as it is.
    /// </summary>
    internal static string CallName(string expression)
    {
        var match = CalledFunction().Match(expression);
        return match.Success ? "vk" + match.Groups[1].Value : expression;
    }

    [GeneratedRegex(@"\b(?:vk)?([A-Z]\w*)\s*\(")]
    private static partial Regex CalledFunction();

    /// <summary>
    /// Each code's C name (Silk.NET's NativeName), the core name where an extension alias shares the
    /// value (VK_ERROR_OUT_OF_POOL_MEMORY, not …_KHR).
    /// </summary>
    private static readonly FrozenDictionary<Vk.Result, string> ResultNames = typeof(Vk.Result)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (Value: (Vk.Result)f.GetValue(null)!, Name: f.GetCustomAttribute<NativeNameAttribute>()?.Name))
        .Where(r => r.Name is not null)
        .OrderBy(r => IsVendorAlias(r.Name!))
        .DistinctBy(r => r.Value)
        .ToFrozenDictionary(r => r.Value, r => r.Name!);

    private static bool IsVendorAlias(string name) => VendorSuffix().IsMatch(name);

    [GeneratedRegex("_(KHR|EXT|NV|AMD|INTEL|QCOM|ARM|GOOGLE|HUAWEI|FUCHSIA|QNX|OHOS|ANDROID)$")]
    private static partial Regex VendorSuffix();
}
