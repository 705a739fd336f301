using System.Text.Json.Nodes;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Probes;

/// <summary>What <see cref="ProbeComparison.Run"/> found: one row per feature source, the targets, and the facts of the probe (for probe.json).</summary>
public sealed record ProbeComparisonResult(IReadOnlyList<ProbeRow> Rows, ProbeTargets Targets, JsonObject Header);

/// <summary>
/// The probes of one JEPA weights file on <c>generate</c> datasets: its frozen encoder and, with <c>compare</c>, the same
/// architecture at random init (another seed) and (unless told not to) the raw pixels, each read in the same pass over the same samples
/// (<see cref="ProbeData"/>), then ridge and SGD heads per source (<see cref="ProbeReport"/>). Shared by <c>probe</c> and the study.
/// </summary>
public static class ProbeComparison
{
    public const string RandomInit = "random init", RawPixels = "raw pixels";

    public static ProbeComparisonResult Run(Device device, string modelPath, IReadOnlyList<string> folders, bool compare, bool student,
        int samples, int epochs, ulong seed, Action<string>? say = null, ProbePooling pooling = ProbePooling.Mean, bool rawPixels = true)
    {
        using var pretrained = JepaEncoder.Load(device, modelPath, randomInit: false, student, seed);
        using var random = compare ? JepaEncoder.Load(device, modelPath, randomInit: true, student, seed + 1) : null;
        int size = pretrained.ImageSize, pixels = pretrained.Frames * 3 * size * size;
        var sources = new List<FeatureSource> { new($"pretrained ({pretrained.Source})", pretrained.FeatureSize(pooling), x => pretrained.Features(x, pooling)) };
        if (random is not null)
        {
            sources.Add(new(RandomInit, random.FeatureSize(pooling), x => random.Features(x, pooling)));
            if (rawPixels) sources.Add(new(RawPixels, pixels, frames => frames.ToArray()));
        }
        say?.Invoke($"probe: {pretrained.Kind} encoder (D {pretrained.Dim}, {(pretrained.Frames > 1 ? $"clips of {pretrained.Frames} frames of " : "")}{size}×{size}) " +
                    $"from {modelPath}, {(pooling == ProbePooling.Tokens ? $"all {pretrained.TokenCount} tokens" : "mean-pooled tokens")}; {folders.Count} dataset(s), up to {samples} samples per split; {device}");
        var (targets, sets) = ProbeData.Read(device, folders, sources, samples, size, pretrained.Frames, seed);
        var settings = new SgdSettings(Epochs: epochs, Seed: seed);
        var rows = sources.Select((src, i) => ProbeReport.Run(src.Name, sets[i].Train, sets[i].Validation, folders.Count, settings)).ToList();
        var header = new JsonObject
        {
            ["checkpoint"] = Path.GetFullPath(modelPath), ["kind"] = pretrained.Kind.ToString(), ["encoder"] = pretrained.Source, ["frames_per_sample"] = pretrained.Frames, ["pooling"] = pooling.Name(),
            ["data"] = new JsonArray(folders.Select(f => (JsonNode?)Path.GetFullPath(f)).ToArray()),
            ["train_samples"] = sets[0].Train.Count, ["validation_samples"] = sets[0].Validation.Count,
            ["train_episodes"] = sets[0].Train.Episodes.Distinct().Count(), ["validation_episodes"] = sets[0].Validation.Episodes.Distinct().Count(),
            ["seed"] = seed,
        };
        return new ProbeComparisonResult(rows, targets, header);
    }
}
