using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Datasets;
using WeJepa.Vulkan;

namespace WeJepa.Training.Study;

/// <summary>
/// The study's held-out probe dataset: the study scene under another seed (so none of its episodes, colours or rod
/// lengths was seen in pretraining, which draws the scene's own seed live), written by the <c>generate</c> writer. A
/// folder that already holds this very dataset (its meta.json identity matches and its shards are intact) is reused;
/// one holding another dataset (another scene, or a meta.json of another tool version) is regenerated.
/// </summary>
public static class StudyData
{
    public static DatasetPlan Plan(Scene scene, string sceneYaml, StudyPlan plan)
    {
        var held = scene.With(seed: scene.Settings.Seed + plan.ProbeSeedOffset);
        var frameBytes = Simulation.Rendering.RenderSpec.FromScene(held).FrameFloats;
        return new DatasetPlan(sceneYaml, held, plan.ProbeEpisodes, plan.ProbeSteps, DatasetPlan.DefaultShardEpisodes(plan.ProbeEpisodes, plan.ProbeSteps, frameBytes));
    }

    /// <summary>
    /// Null when <paramref name="folder"/> already holds the dataset of <paramref name="dataset"/> (or nothing yet), else the
    /// first meta.json field that differs (a dataset of another tool version or scene: it gets regenerated).
    /// </summary>
    public static string? Difference(string folder, DatasetPlan dataset)
    {
        var meta = Path.Combine(folder, DatasetMeta.FileName);
        return File.Exists(meta) ? DatasetMeta.FirstDifference(BoundedFile.ReadAllText(meta, 64 << 20, "dataset meta.json"), dataset) : null;
    }

    /// <summary>
    /// Writes the dataset: completes it when the folder holds this one (intact shards are kept), else replaces the
    /// generate files there (the writer deletes only its own file names). Returns the shards written now.
    /// </summary>
    public static int Ensure(string folder, DatasetPlan dataset, bool replace, IProgress<long>? progress)
    {
        using var source = GpuEpisodeSource.Open(dataset.Scene, new VulkanOptions());
        return new DatasetWriter(dataset, folder) { Progress = progress }.Write(source, replace ? ExistingDataset.Overwrite : ExistingDataset.Resume).Count;
    }
}
