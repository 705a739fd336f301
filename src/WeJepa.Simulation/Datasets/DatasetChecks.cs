using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Simulation.Datasets;

/// <summary>Up-front checks that a dataset can be produced, so a run fails before writing anything.</summary>
public static class DatasetChecks
{
    /// <summary>
    /// The largest float32 frame the renderer takes: one frame must fit one storage-buffer binding
    /// (128 MiB measured on lavapipe; the Vulkan spec guarantees only 128 MiB too).
    /// </summary>
    public const long MaxFrameBytes = (128L << 20) / 4;

    /// <summary>Bytes the dataset's files take: frames, states and energy, NPY headers included.</summary>
    public static long DatasetBytes(DatasetPlan plan) =>
        plan.TotalFrames * (plan.FrameBytes + 4L * plan.StateSize + 4L) + plan.ShardCount * 3L * 128;

    /// <summary>Refuses a dataset larger than the free space of the disk holding <paramref name="folder"/>.</summary>
    public static void CheckFits(DatasetPlan plan, string folder)
    {
        var full = Path.GetFullPath(folder);
        var existing = full;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent) existing = parent;
        long free = new DriveInfo(existing).AvailableFreeSpace, need = DatasetBytes(plan);
        if (need > free)
            throw new UserError($"{folder}: the dataset needs {Sizes.Human(need)} ({plan.Episodes} episodes × {plan.Steps} frames of " +
                                $"{plan.Render.Width}x{plan.Render.Height}) but the disk holding {existing} has {Sizes.Human(free)} free; " +
                                "lower --episodes or --steps, or choose another --out");
    }
}
