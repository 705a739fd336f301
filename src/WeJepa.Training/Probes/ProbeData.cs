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

    /// <summary>
    /// <paramref name="frames"/> 1: single frames (B,3,H,W) in the stream's shuffled order; more: clips (B,T,3,H,W) of T
    /// consecutive frames of one episode, spread evenly over the split's episodes and times, whose target is the state
    /// at the clip's last frame (so ω can be read from the motion).
    /// </summary>
    public static (ProbeTargets Targets, (ProbeSet Train, ProbeSet Validation)[] Sets) Read(Device device, IReadOnlyList<string> folders,
        IReadOnlyList<FeatureSource> sources, int samplesPerSplit, int imageSize, int frames, ulong seed)
    {
        var (targets, train) = Collect(device, folders, sources, DatasetSplit.Train, samplesPerSplit, imageSize, frames, seed);
        var (_, validation) = Collect(device, folders, sources, DatasetSplit.Validation, samplesPerSplit, imageSize, frames, seed);
        return (targets, sources.Select((_, i) => (train[i], validation[i])).ToArray());
    }

    static (ProbeTargets, ProbeSet[]) Collect(Device device, IReadOnlyList<string> folders, IReadOnlyList<FeatureSource> sources, DatasetSplit split,
        int samples, int imageSize, int frames, ulong seed)
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
                var first = stream.Next();
                var shape = first.Frames.Shape;
                if (shape[2] != imageSize || shape[3] != imageSize)
                    throw new UserError($"--data {folder}: frames are {shape[2]}×{shape[3]}, the encoder takes {imageSize}×{imageSize} (image_size)");
                int s = first.States.Shape[1];
                if (stateSize is { } known && known != s)
                    throw new UserError($"--data {folder}: states of size {s}, the other datasets have {known} (probe one kind of pendulum at a time)");
                stateSize = s;
                if (frames > 1 && stream.Steps < frames)
                    throw new UserError($"--data {folder}: episodes of {stream.Steps} frames are shorter than the model's clips of {frames}");
                var batches = frames == 1 ? Frames(stream, first, perFolder) : Clips(device, stream, perFolder, frames, imageSize, s);
                foreach (var (input, batchStates, batchEpisodes) in batches)
                {
                    tape.Step(() =>
                    {
                        var x = input();
                        for (int i = 0; i < sources.Count; i++) features[i].AddRange(sources[i].Of(x));
                    });
                    states.AddRange(batchStates);
                    labels.AddRange(Enumerable.Repeat(label, batchEpisodes.Length));
                    episodes.AddRange(batchEpisodes.Select(e => e * folders.Count + label));
                }
            }
        }
        if (labels.Count == 0) throw new UserError($"--data: the {split} split holds no samples");
        var targets = new ProbeTargets(stateSize!.Value);
        var y = targets.Of(states.ToArray());
        return (targets, sources.Select((src, i) => new ProbeSet(features[i].ToArray(), src.Size, y, targets.Count, labels.ToArray(), episodes.ToArray()).Validated()).ToArray());
    }

    /// <summary>The stream's batches (the first one already drawn) up to <paramref name="limit"/> samples.</summary>
    static IEnumerable<(Func<Tensor> Input, float[] States, int[] Episodes)> Frames(DatasetBatchStream stream, TrainingBatch first, int limit)
    {
        int take = Math.Min(limit, stream.SampleCount) / stream.BatchSize * stream.BatchSize;
        var batch = first;
        for (int done = 0; done < take; done += stream.BatchSize)
        {
            if (done > 0) batch = stream.Next();
            var frames = batch.Frames;
            yield return (() => frames, batch.States.ToArray(), batch.Episodes);
        }
    }

    /// <summary>Clips (B,T,3,H,W) of T consecutive frames ending at evenly spaced times of every episode of the split, up to <paramref name="limit"/>.</summary>
    static IEnumerable<(Func<Tensor> Input, float[] States, int[] Episodes)> Clips(Device device, DatasetBatchStream stream, int limit, int frames, int size, int stateSize)
    {
        int perEpisode = stream.Steps - frames + 1, total = stream.Episodes.Count * perEpisode;
        int stride = Math.Max(1, (total + limit - 1) / limit);
        var ends = stream.Episodes.SelectMany(e => Enumerable.Range(0, perEpisode).Select(t => (Episode: e, End: t + frames - 1)))
            .Where((_, i) => i % stride == 0).Take(limit).ToArray();
        int frameBytes = 3 * size * size;
        var (bytes, state) = (new byte[frameBytes], new float[stateSize]);
        const int batch = 32;
        for (int start = 0; start < ends.Length; start += batch)
        {
            int b = Math.Min(batch, ends.Length - start);
            var (pixels, states) = (new float[b * frames * frameBytes], new float[b * stateSize]);
            for (int i = 0; i < b; i++)
            {
                var (episode, end) = ends[start + i];
                for (int t = 0; t < frames; t++)
                {
                    stream.Read(episode, end - frames + 1 + t, bytes, state);
                    for (int j = 0; j < frameBytes; j++) pixels[(i * frames + t) * frameBytes + j] = bytes[j] * (1f / 255f);
                }
                state.CopyTo(states, i * stateSize);   // the state at the clip's last frame
            }
            yield return (() => Tensor.FromArray(device, pixels, b, frames, 3, size, size), states,
                ends.Skip(start).Take(b).Select(x => x.Episode).ToArray());
        }
    }
}
