using WeJepa.Bridge.Streams;
using WeJepa.Core.Errors;
using WeJepa.Learning;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Probes;

/// <summary>A way to turn a batch of frames (B,3,H,W) into per-image features (B·F, host): an encoder, or the pixels themselves.</summary>
public sealed record FeatureSource(string Name, int Size, Func<Tensor, float[]> Of);

/// <summary>
/// Reads probe sets from <c>generate</c> datasets through <see cref="DatasetBatchStream"/>: the stream's train and
/// validation splits (by episode), up to a number of samples each, every batch's frames turned into features by each
/// <see cref="FeatureSource"/> in one pass. With several folders (one scene each), a sample's class label is the index
/// of its folder, and episodes are renumbered so that no two folders share one.
/// </summary>
public static class ProbeData
{
    /// <summary>
    /// The episodes a probe validates on: a quarter (training uses a tenth), because R² on one or two episodes measures
    /// how a head extrapolates from the few angles those episodes swing through rather than how well it reads the state.
    /// </summary>
    public const double ValidationFraction = 0.25;

    public static (ProbeSet Train, ProbeSet Validation)[] Read(Device device, IReadOnlyList<string> folders, IReadOnlyList<FeatureSource> sources,
        int samplesPerSplit, int imageSize, ulong seed)
    {
        var train = Collect(device, folders, sources, DatasetSplit.Train, samplesPerSplit, imageSize, seed);
        var validation = Collect(device, folders, sources, DatasetSplit.Validation, samplesPerSplit, imageSize, seed);
        return sources.Select((_, i) => (train[i], validation[i])).ToArray();
    }

    static ProbeSet[] Collect(Device device, IReadOnlyList<string> folders, IReadOnlyList<FeatureSource> sources, DatasetSplit split,
        int samples, int imageSize, ulong seed)
    {
        var features = sources.Select(_ => new List<float>()).ToArray();
        var (states, labels, episodes) = (new List<float>(), new List<int>(), new List<int>());
        int? stateSize = null;
        var tape = new Tape(device);
        for (int label = 0; label < folders.Count; label++)
        {
            var folder = folders[label];
            DatasetBatchStream stream;
            int perFolder = Math.Max(1, samples / folders.Count);
            try
            {
                // one pass over at most perFolder samples: batches of up to 64, never more than the split holds
                int available;
                using (var count = new DatasetBatchStream(folder, device, split, 1, seed, ValidationFraction)) available = count.SampleCount;
                stream = new DatasetBatchStream(folder, device, split, Math.Min(64, Math.Min(perFolder, available)), seed, ValidationFraction);
            }
            catch (Exception e) when (e is ArgumentException or IOException or System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
            {
                throw new UserError($"--data {folder}: not a readable generate dataset ({e.Message})");
            }
            using (stream)
            {
                int take = Math.Min(perFolder, stream.SampleCount) / stream.BatchSize * stream.BatchSize;
                for (int done = 0; done < take; done += stream.BatchSize)
                {
                    var batch = stream.Next();
                    var f = batch.Frames;
                    if (f.Shape[2] != imageSize || f.Shape[3] != imageSize)
                        throw new UserError($"--data {folder}: frames are {f.Shape[2]}×{f.Shape[3]}, the encoder takes {imageSize}×{imageSize} (image_size)");
                    int s = batch.States.Shape[1];
                    if (stateSize is { } known && known != s)
                        throw new UserError($"--data {folder}: states of size {s}, the other datasets have {known} (probe one kind of pendulum at a time)");
                    stateSize = s;
                    tape.Step(() =>
                    {
                        for (int i = 0; i < sources.Count; i++) features[i].AddRange(sources[i].Of(f));
                    });
                    states.AddRange(batch.States.ToArray());
                    labels.AddRange(Enumerable.Repeat(label, batch.Episodes.Length));
                    episodes.AddRange(batch.Episodes.Select(e => e * folders.Count + label));
                }
            }
        }
        if (labels.Count == 0) throw new UserError($"--data: the {split} split holds no samples");
        var targets = new ProbeTargets(stateSize!.Value);
        var y = targets.Of(states.ToArray());
        return sources.Select((src, i) => new ProbeSet(features[i].ToArray(), src.Size, y, targets.Count, labels.ToArray(), episodes.ToArray()).Validated()).ToArray();
    }
}
