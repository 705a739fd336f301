using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Datasets;
using WeJepa.Vulkan;

namespace WeJepa.Training.Study;

/// <summary>
/// The study's held-out probe dataset: the study scene under another seed (so none of its episodes, colours or rod
/// lengths was seen in pretraining, which draws the scene's own seed live), written by the <c>generate</c> writer. A
/// folder that already holds this very dataset (its meta.json identity matches and its shards are intact) is reused;
/// one holding a different dataset is refused.
/// </summary>
public static class StudyData
{
    public static DatasetPlan Plan(Scene scene, string sceneYaml, StudyPlan plan)
    {
        var held = scene.With(seed: scene.Settings.Seed + plan.ProbeSeedOffset);
        var frameBytes = Simulation.Rendering.RenderSpec.FromScene(held).FrameFloats;
        return new DatasetPlan(sceneYaml, held, plan.ProbeEpisodes, plan.ProbeSteps, DatasetPlan.DefaultShardEpisodes(plan.ProbeEpisodes, plan.ProbeSteps, frameBytes));
    }

    /// <summary>Whether <paramref name="folder"/> already holds the dataset of <paramref name="dataset"/>; refuses another dataset there.</summary>
    public static bool Holds(string folder, DatasetPlan dataset)
    {
        var meta = Path.Combine(folder, DatasetMeta.FileName);
        if (!File.Exists(meta)) return false;
        var difference = DatasetMeta.FirstDifference(BoundedFile.ReadAllText(meta, 64 << 20, "dataset meta.json"), dataset);
        if (difference is not null)
            throw new UserError($"--data {folder}: holds another dataset ({difference} differs from the study's); remove it or pass another --data folder");
        return true;
    }

    /// <summary>Writes (or completes: intact shards are kept) the dataset; returns the shards written now.</summary>
    public static int Ensure(string folder, DatasetPlan dataset, IProgress<long>? progress)
    {
        using var source = GpuEpisodeSource.Open(dataset.Scene, new VulkanOptions());
        return new DatasetWriter(dataset, folder) { Progress = progress }.Write(source, ExistingDataset.Resume).Count;
    }
}
