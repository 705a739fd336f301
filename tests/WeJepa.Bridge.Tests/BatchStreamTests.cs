using WeJepa.Bridge.Streams;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Datasets;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Bridge.Tests;

/// <summary>The three batch streams: deterministic for a seed, the right content, and (datasets) split by episode with bounded memory.</summary>
public class BatchStreamTests : BridgeFixture
{
    private string _dataset = null!;
    private const int Episodes = 24, Steps = 8;

    private static string ScenePath => Path.Combine(AppContext.BaseDirectory, "scenes", "pendulum.yaml");

    [OneTimeSetUp]
    public void Open()
    {
        _dataset = Path.Combine(Path.GetTempPath(), "wejepa-tests", Guid.NewGuid().ToString("N"));
        var yaml = File.ReadAllText(ScenePath);
        var scene = SceneLoader.Parse(yaml, ScenePath);
        using var source = new GpuEpisodeSource(Device, scene);
        new DatasetWriter(new DatasetPlan(yaml, scene, Episodes, Steps, ShardEpisodes: 5), _dataset).Write(source, ExistingDataset.Refuse);
    }

    [OneTimeTearDown]
    public void Close()
    {
        if (Directory.Exists(_dataset)) Directory.Delete(_dataset, recursive: true);
    }

    private static List<(float[] Frames, float[] States, float[] Derivatives, int[] Episodes, int[] Times)> Take(IBatchStream stream, int batches) =>
        Enumerable.Range(0, batches).Select(_ =>
        {
            var b = stream.Next();
            return (b.Frames.ToArray(), b.States.ToArray(), b.Derivatives.ToArray(), (int[])b.Episodes.Clone(), (int[])b.Times.Clone());
        }).ToList();

    [Test]
    public void FakeFramesAreDeterministicForASeed()
    {
        using var a = new FakeBatchStream(Engine, 4, 8, 8, 2, seed: 5);
        using var b = new FakeBatchStream(Engine, 4, 8, 8, 2, seed: 5);
        using var c = new FakeBatchStream(Engine, 4, 8, 8, 2, seed: 6);
        var (x, y, z) = (Take(a, 3), Take(b, 3), Take(c, 3));
        for (int k = 0; k < 3; k++)
        {
            Assert.That(x[k].Frames, Is.EqualTo(y[k].Frames).And.Not.EqualTo(z[k].Frames), $"batch {k}");
            Assert.That(x[k].States, Is.EqualTo(y[k].States));
            Assert.That(x[k].Frames, Has.Length.EqualTo(4 * 3 * 8 * 8).And.All.InRange(0f, 1f));
        }
        Assert.That(x[0].Frames, Is.Not.EqualTo(x[1].Frames), "each batch is new");
    }

    [Test]
    public void LiveBatchesAreTheSimulatorsFramesDoubleBufferedAndDeterministic()
    {
        var scene = SceneLoader.Load(ScenePath).With(steps: 3);
        using var a = new LiveBatchStream(Device, Engine, scene, batchSize: 5);
        using var b = new LiveBatchStream(Device, Engine, scene, batchSize: 5);
        var (x, y) = (Take(a, 5), Take(b, 5));
        var spec = a.Spec;
        for (int k = 0; k < 5; k++)
        {
            Assert.That(x[k].Frames, Is.EqualTo(y[k].Frames), $"batch {k} frames");
            Assert.That(x[k].States, Is.EqualTo(y[k].States), $"batch {k} states");
            // Episodes 0..4 for the scene's 3 steps, then the next 5 episodes from t = 0.
            Assert.That(x[k].Episodes, Is.EqualTo(Enumerable.Range(k < 3 ? 0 : 5, 5)), $"batch {k} episodes");
            Assert.That(x[k].Times, Is.All.EqualTo(k % 3), $"batch {k} times");
            // The frames are the reference renderer's of these very states: the slot handed out is the one just filled.
            var looks = EnvLooks.Draw(spec, x[k].Episodes[0], x[k].Episodes.Select(e => (float)Simulation.Reference.Environments.LengthScale(scene, e)).ToArray());
            var expected = new float[x[k].Frames.Length];
            ReferenceRenderer.Render(spec, x[k].States, looks, new FrameIndexing(1, (uint)x[k].Episodes[0], (uint)x[k].Times[0]), 0, expected);
            Assert.That(x[k].Frames.Zip(expected, (p, q) => Math.Abs(p - q)).Max(), Is.LessThanOrEqualTo(2f / 255f), $"batch {k} frames vs reference");
            for (int i = 0; i < 5; i++)
                Assert.That(x[k].Derivatives[2 * i], Is.EqualTo(x[k].States[2 * i + 1]), "θ̇ = ω");
        }
        Assert.That(x[1].States, Is.Not.EqualTo(x[0].States), "the physics advances between batches");
    }

    [Test]
    public void DatasetSplitsByEpisodeAndCoversEachSampleOncePerEpoch()
    {
        using var train = new DatasetBatchStream(_dataset, Engine, DatasetSplit.Train, batchSize: 4, seed: 1, validationFraction: 0.25);
        using var validation = new DatasetBatchStream(_dataset, Engine, DatasetSplit.Validation, batchSize: 4, seed: 1, validationFraction: 0.25);
        Assert.That(train.Episodes.Intersect(validation.Episodes), Is.Empty, "no episode on both sides");
        Assert.That(train.Episodes.Concat(validation.Episodes).Order(), Is.EqualTo(Enumerable.Range(0, Episodes)));
        Assert.That(validation.Episodes, Is.Not.Empty);

        int batches = train.SampleCount / 4;
        var epoch = Take(train, batches);
        var seen = epoch.SelectMany(b => b.Episodes.Zip(b.Times)).ToList();
        Assert.That(seen, Is.Unique);
        Assert.That(seen.Select(s => s.First).Distinct().Order(), Is.EqualTo(train.Episodes.Order()), "every train episode, no other");
        Assert.That(seen.Select(s => s.First).Take(Steps).Distinct().Count(), Is.GreaterThan(1), "shuffled, not episode by episode");

        // A sample's frame and state are the shard's bytes: episode e at time t of frames-NNNNN.npy.
        var (e, t) = (epoch[0].Episodes[1], epoch[0].Times[1]);
        int shard = e / 5, local = e % 5, frameFloats = epoch[0].Frames.Length / 4;
        var frames = Npy.Read(Path.Combine(_dataset, DatasetPlan.FramesFile(shard)));
        var bytes = frames.AsUInt8().AsSpan((local * Steps + t) * frameFloats, frameFloats).ToArray();
        Assert.That(epoch[0].Frames.Skip(frameFloats).Take(frameFloats), Is.EqualTo(bytes.Select(v => v / 255f)).Within(1e-7f));
    }

    [Test]
    public void DatasetBatchesAreDeterministicForASeed()
    {
        using var a = new DatasetBatchStream(_dataset, Engine, DatasetSplit.Train, batchSize: 6, seed: 3);
        using var b = new DatasetBatchStream(_dataset, Engine, DatasetSplit.Train, batchSize: 6, seed: 3);
        using var c = new DatasetBatchStream(_dataset, Engine, DatasetSplit.Train, batchSize: 6, seed: 4);
        var (x, y, z) = (Take(a, 4), Take(b, 4), Take(c, 4));
        for (int k = 0; k < 4; k++)
        {
            Assert.That(x[k].Episodes.Zip(x[k].Times), Is.EqualTo(y[k].Episodes.Zip(y[k].Times)), $"batch {k} samples");
            Assert.That(x[k].Frames, Is.EqualTo(y[k].Frames), $"batch {k} frames");
        }
        Assert.That(x.SelectMany(q => q.Episodes.Zip(q.Times)), Is.Not.EqualTo(z.SelectMany(q => q.Episodes.Zip(q.Times))), "another seed, another order");
    }

    [Test]
    public void ADatasetLargerThanTheAllowanceStreamsInBoundedMemory()
    {
        // A dataset of its own, 9x the allowance: the heap's noise (JIT, the test host) is a few hundred KiB.
        var folder = Path.Combine(Path.GetTempPath(), "wejepa-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var yaml = File.ReadAllText(ScenePath);
            var scene = SceneLoader.Parse(yaml, ScenePath);
            using (var source = new GpuEpisodeSource(Device, scene))
                new DatasetWriter(new DatasetPlan(yaml, scene, 96, Steps, ShardEpisodes: 16), folder).Write(source, ExistingDataset.Refuse);
            long datasetBytes = Directory.EnumerateFiles(folder, "frames-*.npy").Sum(f => new FileInfo(f).Length);
            const long allowance = 1 << 20;   // the heap the stream may hold
            Assert.That(datasetBytes, Is.GreaterThan(8 * allowance), "the dataset is larger than the allowance");
            long before = GC.GetTotalMemory(forceFullCollection: true);
            using var stream = new DatasetBatchStream(folder, Engine, DatasetSplit.Train, batchSize: 8, seed: 9, validationFraction: 0);
            long peak = 0;
            for (int k = 0; k < stream.SampleCount / 8; k++)
            {
                stream.Next();
                if (k % 12 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
            long allocated = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - before);
            GC.KeepAlive(stream);
            Assert.That(allocated, Is.LessThan(allowance), $"the heap held {allocated:N0} bytes more while streaming {datasetBytes:N0} bytes of frames");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
