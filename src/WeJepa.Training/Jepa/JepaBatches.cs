using System.Text.Json.Nodes;
using WeJepa.Bridge.Streams;
using WeJepa.Core.Errors;
using WeJepa.Core.Rng;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Simulation.Datasets;
using WeJepa.Simulation.Rendering;
using WeJepa.Vulkan;
using Device = WeJepa.Learning.Devices.Device;

namespace WeJepa.Training.Jepa;

/// <summary>
/// The input of a JEPA run as a sequence of global micro-batches drawn through the batch streams: images (B,3,H,W), or
/// clips (B,T,3,H,W) for video (T consecutive frames of the same episodes). Sources: <c>fake</c> (uniform frames,
/// repeating after <c>fake_data_size</c> samples), <c>dataset</c> (a <c>generate</c> folder, split by episode) and
/// <c>live</c> (the simulator through the zero-copy bridge; validation uses other episodes of the scene: another seed).
/// Augmentations (brightness, pixel noise) are drawn from (seed, micro-batch index), so batch k is the same in every run,
/// on every rank, and after a resume.
/// </summary>
public sealed class JepaBatches : IDisposable
{
    readonly JepaConfig config;
    readonly Device engine;
    readonly bool validation;
    readonly Func<VulkanDevice> vulkan;
    readonly int frames;
    IBatchStream stream;
    long fakeDrawn;

    /// <summary>Samples per global micro-batch.</summary>
    public int BatchSize { get; }
    /// <summary>Micro-batches drawn so far (the position a checkpoint saves).</summary>
    public long Drawn { get; private set; }
    /// <summary>Samples in one pass over the split (live: one set of episodes run to the end).</summary>
    public long SamplesPerEpoch { get; }

    public JepaBatches(JepaConfig config, Device engine, bool validation, int batchSize, Func<VulkanDevice> vulkan)
    {
        (this.config, this.engine, this.validation, this.vulkan, BatchSize) = (config, engine, validation, vulkan, batchSize);
        frames = config.FramesPerSample;
        if (FrameSize() is var (height, width) && (height, width) != (config.Model.ImageSize, config.Model.ImageSize))
            throw config.Rejected("model.image_size", config.Model.ImageSize, $"the data's frames are {height}×{width}");
        stream = Open();
        SamplesPerEpoch = stream switch
        {
            DatasetBatchStream d => d.SampleCount,
            LiveBatchStream l => (long)batchSize * Math.Max(1, LiveScene().Settings.Steps / (l.Stride * frames)),
            _ => config.Data.FakeDataSize,
        };
    }

    /// <summary>The frame size the source renders (from the scene; a dataset's meta.json holds its scene), before anything is opened.</summary>
    (int Height, int Width)? FrameSize()
    {
        var d = config.Data;
        var meta = System.IO.Path.Combine(d.Path, DatasetMeta.FileName);
        var scene = d.Source switch
        {
            "live" => LiveScene(),
            "dataset" when File.Exists(meta) => SceneLoader.Parse(JsonNode.Parse(File.ReadAllText(meta))?["scene"]?.GetValue<string>() ?? "", meta),
            _ => null,
        };
        if (scene is null) return null;
        var spec = RenderSpec.FromScene(scene);
        return (spec.Height, spec.Width);
    }

    Scene LiveScene()
    {
        var scene = SceneLoader.Load(config.Data.Scene);
        // validation episodes: the same scene under another seed, so no training episode is ever validated on
        return validation ? scene.With(seed: SplitMix64.Mix(scene.Settings.Seed ^ 0x76616C6964UL)) : scene;
    }

    IBatchStream Open()
    {
        var d = config.Data;
        ulong seed = config.Hardware.Seed;
        try
        {
            return d.Source switch
            {
                "dataset" => new DatasetBatchStream(d.Path, engine, validation ? DatasetSplit.Validation : DatasetSplit.Train, BatchSize, seed, d.ValidationFraction),
                "live" => new LiveBatchStream(vulkan(), engine, LiveScene(), BatchSize, d.LiveStride),
                _ => new FakeBatchStream(engine, BatchSize * frames, config.Model.ImageSize, config.Model.ImageSize, 2, validation ? ~seed : seed),
            };
        }
        catch (Exception e) when (e is ArgumentException or IOException)
        {
            throw new UserError($"{config.OriginOf(d.Source == "live" ? "data.scene" : "data.path")}: data: {e.Message}");
        }
    }

    /// <summary>
    /// The next global micro-batch as a tensor of the current Tape step (valid until the next call), augmented.
    /// </summary>
    public Tensor Next()
    {
        var input = frames == 1 ? NextBatch().Frames : NextClip(materialize: true)!;
        Drawn++;
        return Augment(input, Drawn - 1);
    }

    /// <summary>Moves past <paramref name="count"/> micro-batches without using them (a resume returns to its position).</summary>
    public void Skip(long count)
    {
        for (long i = 0; i < count; i++)
        {
            if (frames == 1) NextBatch();
            else NextClip(materialize: false);
            Drawn++;
        }
    }

    TrainingBatch NextBatch()
    {
        if (stream is FakeBatchStream && fakeDrawn++ == Math.Max(1, config.Data.FakeDataSize / BatchSize))
        {
            // a fake epoch is over: the stream starts again from its first batch
            stream.Dispose();
            stream = Open();
            fakeDrawn = 1;
        }
        return stream.Next();
    }

    /// <summary>T consecutive frames of the same episodes: the fake stream's B·T frames, or T live batches (restarted when the episodes change).</summary>
    Tensor? NextClip(bool materialize)
    {
        if (stream is FakeBatchStream)
        {
            var f = NextBatch().Frames;
            return materialize ? Ops.Reshape(f, BatchSize, frames, 3, f.Shape[2], f.Shape[3]) : null;
        }
        if (stream is not LiveBatchStream)
            throw config.Rejected("data.source", config.Data.Source, "clips (model.kind video-jepa) come from the live or the fake source");
        Tensor? clip = null;
        int[]? episodes = null;
        for (int t = 0; t < frames; t++)
        {
            var batch = NextBatch();
            if (episodes is not null && !batch.Episodes.AsSpan().SequenceEqual(episodes))
            {
                (t, clip) = (0, null);   // the episodes ended mid-clip: start the clip on the new ones
            }
            episodes = batch.Episodes;
            if (!materialize) continue;
            var f = batch.Frames;
            var frame = Ops.Reshape(f, BatchSize, 1, 3, f.Shape[2], f.Shape[3]);
            clip = clip is null ? Ops.Mul(frame, 1f) : Ops.Concat([clip, frame], 1);   // a copy: the stream reuses its frames
        }
        return clip;
    }

    Tensor Augment(Tensor input, long index)
    {
        var d = config.Data;
        if (d.Brightness == 0 && d.PixelNoise == 0) return input;
        var rng = new SplitMix64(SplitMix64.Mix(config.Hardware.Seed ^ (validation ? 0xA5A5UL : 0x5A5AUL)) + (ulong)index * SplitMix64.Gamma);
        if (d.Brightness > 0)
        {
            var scale = new float[input.Shape[0]];
            for (int i = 0; i < scale.Length; i++) scale[i] = (float)(1 + d.Brightness * (2 * rng.NextDouble() - 1));
            var shape = new int[input.Rank];
            Array.Fill(shape, 1);
            shape[0] = scale.Length;
            input = Ops.Mul(input, Tensor.FromArray(engine, scale, shape));
        }
        if (d.PixelNoise > 0)
        {
            var noise = new float[input.Length];
            for (int i = 0; i < noise.Length; i++) noise[i] = (float)(d.PixelNoise * rng.NextGaussian());
            input = Ops.Add(input, Tensor.FromArray(engine, noise, input.Shape));
        }
        return input;
    }

    public void Dispose() => stream.Dispose();
}
