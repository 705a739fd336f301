using WeJepa.Core.Errors;

namespace WeJepa.Vulkan;

/// <summary>Picks the physical device: an explicit selector, or the best kind of device available.</summary>
public static class GpuSelection
{
    /// <param name="gpus">Every device the loader reported, in its order.</param>
    /// <param name="selector">An index, a case-insensitive name substring, or null for automatic.</param>
    public static GpuInfo Choose(IReadOnlyList<GpuInfo> gpus, string? selector)
    {
        var usable = gpus.Where(g => g.HasComputeQueue).ToList();
        if (usable.Count == 0)
            throw new UserError(
                $"no Vulkan device with a compute queue was found{(gpus.Count > 0 ? $" (seen: {List(gpus)})" : "")}. {VulkanInstance.InstallHint}",
                ExitCodes.MissingDependency);
        if (selector is null)
            return usable.OrderBy(g => Rank(g.Type)).ThenBy(g => g.Index).First();

        if (int.TryParse(selector, out var index))
            return usable.FirstOrDefault(g => g.Index == index)
                   ?? throw new UserError($"--gpu {selector}: no Vulkan device with index {index}; available: {List(usable)}");
        var byName = usable.Where(g => g.Name.Contains(selector, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count switch
        {
            1 => byName[0],
            0 => throw new UserError($"--gpu {selector}: no Vulkan device name contains \"{selector}\"; available: {List(usable)}"),
            _ => byName.OrderBy(g => Rank(g.Type)).ThenBy(g => g.Index).First(),
        };
    }

    /// <summary>Why <see cref="Choose"/> picked <paramref name="chosen"/> (for <c>wejepa doctor</c>).</summary>
    public static string Reason(IReadOnlyList<GpuInfo> gpus, GpuInfo chosen, string? selector)
    {
        if (selector is not null)
            return int.TryParse(selector, out _) ? $"selector \"{selector}\" is its index" : $"selector \"{selector}\" matches its name";
        var usable = gpus.Count(g => g.HasComputeQueue);
        return usable == 1
            ? "the only device with a compute queue"
            : $"automatic: {chosen.Type} ranks first of {usable} devices with a compute queue (discrete GPU > integrated > virtual > CPU)";
    }

    /// <summary>Lower is better: real GPUs before software rasterisers.</summary>
    private static int Rank(GpuType type) => type switch
    {
        GpuType.DiscreteGpu => 0,
        GpuType.IntegratedGpu => 1,
        GpuType.VirtualGpu => 2,
        GpuType.Cpu => 3,
        _ => 4,
    };

    private static string List(IEnumerable<GpuInfo> gpus) => string.Join(", ", gpus.Select(g => g.ToString()));
}
