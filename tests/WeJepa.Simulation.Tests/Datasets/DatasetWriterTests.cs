using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Simulation.Datasets;

namespace WeJepa.Simulation.Tests.Datasets;

public class DatasetWriterTests
{
    private readonly List<string> _folders = [];

    private string Folder()
    {
        var f = DatasetFixture.TempFolder();
        _folders.Add(f);
        return f;
    }

    [TearDown]
    public void RemoveFolders()
    {
        foreach (var f in _folders) if (Directory.Exists(f)) Directory.Delete(f, true);
    }

    private static void Generate(DatasetPlan plan, string folder, ExistingDataset existing = ExistingDataset.Refuse,
        CancellationToken cancel = default, IProgress<long>? progress = null)
    {
        using var source = new ReferenceEpisodeSource(plan.Scene) { MaxFramesPerRender = 5 };
        new DatasetWriter(plan, folder) { Progress = progress }.Write(source, existing, cancel);
    }

    [Test]
    public void WritesShardsWithTheDocumentedShapes()
    {
        var plan = DatasetFixture.Plan();
        var folder = Folder();
        Generate(plan, folder);
        Assert.That(DatasetFixture.Snapshot(folder).Keys, Is.EqualTo(new[]
        {
            "energy-00000.npy", "energy-00001.npy", "energy-00002.npy", "frames-00000.npy", "frames-00001.npy", "frames-00002.npy",
            "meta.json", "preview.png", "states-00000.npy", "states-00001.npy", "states-00002.npy",
        }));
        var frames = Npy.Read(Path.Combine(folder, "frames-00002.npy"));
        Assert.That(frames.Dtype, Is.EqualTo("|u1"));
        Assert.That(frames.Shape, Is.EqualTo(new[] { 1, 12, 3, 12, 16 }), "the last shard holds the remaining episode");
        Assert.That(Npy.Read(Path.Combine(folder, "states-00000.npy")).Shape, Is.EqualTo(new[] { 2, 12, 2 }));
        Assert.That(Npy.Read(Path.Combine(folder, "energy-00001.npy")).Shape, Is.EqualTo(new[] { 2, 12 }));
    }

    [Test]
    public void PreviewTilesTheFirstEpisodesAtEvenlySpacedTimes()
    {
        var plan = DatasetFixture.Plan();
        var folder = Folder();
        Generate(plan, folder);
        var frames = Npy.Read(Path.Combine(folder, "frames-00000.npy")).AsUInt8(); // (2, 12, 3, 12, 16)
        var (rgb, width, height) = PngFile.Load(Path.Combine(folder, DatasetWriter.PreviewFile));
        const int zoom = 2, h = 12, w = 16, steps = 12;
        Assert.That((width, height), Is.EqualTo((zoom * (8 * (w + 1) + 1), zoom * (2 * (h + 1) + 1))), "2 episodes × 8 times, 1-pixel borders, 2× zoom");
        // Tile (row r, column c) shows episode r at step c·(T−1)/7; every image pixel is a zoom × zoom block.
        foreach (var (r, c, t) in new[] { (0, 0, 0), (1, 7, steps - 1), (0, 3, 3 * (steps - 1) / 7) })
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        for (var ch = 0; ch < 3; ch++)
        {
            var expected = frames[(((r * steps + t) * 3 + ch) * h + y) * w + x];
            var (px, py) = (zoom * (1 + c * (w + 1) + x), zoom * (1 + r * (h + 1) + y));
            Assert.That(rgb[(py * width + px) * 3 + ch], Is.EqualTo(expected), $"episode {r}, step {t}, pixel ({x}, {y}), channel {ch}");
            Assert.That(rgb[((py + 1) * width + px + 1) * 3 + ch], Is.EqualTo(expected), "nearest-neighbour zoom");
        }
        Assert.That(rgb.AsSpan(0, width * zoom * 3).ToArray(), Is.All.EqualTo(255), "white border");
    }

    [Test]
    public void ShardsHoldTheEpisodesOfTheWholeRun()
    {
        // Episode e is the same whatever the sharding: one shard of 5 equals shards of 2 + 2 + 1.
        var (a, b) = (Folder(), Folder());
        Generate(DatasetFixture.Plan(shardEpisodes: 2), a);
        Generate(DatasetFixture.Plan(shardEpisodes: 5), b);
        var whole = Npy.Read(Path.Combine(b, "frames-00000.npy")).AsUInt8();
        var parts = Enumerable.Range(0, 3).SelectMany(i => Npy.Read(Path.Combine(a, DatasetPlan.FramesFile(i))).AsUInt8()).ToArray();
        Assert.That(parts, Is.EqualTo(whole));
    }

    [Test]
    public void SameSeedGivesIdenticalBytesAndAnotherSeedDoesNot()
    {
        var (a, b, c) = (Folder(), Folder(), Folder());
        Generate(DatasetFixture.Plan(), a);
        Generate(DatasetFixture.Plan(), b);
        Generate(DatasetFixture.Plan(seed: 8), c);
        var (sa, sb, sc) = (DatasetFixture.Snapshot(a), DatasetFixture.Snapshot(b), DatasetFixture.Snapshot(c));
        Assert.That(sb, Is.EqualTo(sa));
        Assert.That(sc["frames-00000.npy"], Is.Not.EqualTo(sa["frames-00000.npy"]));
    }

    [Test]
    public void ResumeAfterACancelInTheMiddleOfAShardGivesTheSameBytes()
    {
        var plan = DatasetFixture.Plan();
        var (whole, interrupted) = (Folder(), Folder());
        Generate(plan, whole);

        // Cancel once shard 1 (frames 24..47: 2 episodes × 12 steps per shard) has streamed some of its
        // 5-frame chunks to disk.
        using var cancel = new CancellationTokenSource();
        var progress = new Progress(frames => { if (frames > 30) cancel.Cancel(); });
        Assert.Throws<OperationCanceledException>(() => Generate(plan, interrupted, cancel: cancel.Token, progress: progress));
        Assert.That(File.Exists(Path.Combine(interrupted, "frames-00001.npy")), Is.False, "no partial shard under its final name");
        Assert.That(File.Exists(Path.Combine(interrupted, "frames-00000.npy")), Is.True);
        var shard0 = File.GetLastWriteTimeUtc(Path.Combine(interrupted, "frames-00000.npy"));
        // A killed process (unlike a cancelled one) leaves its half-written temporary behind.
        File.WriteAllBytes(Path.Combine(interrupted, ".frames-00001.npy.tmp-0123456789abcdef"), new byte[1000]);

        Generate(plan, interrupted, ExistingDataset.Resume);
        Assert.That(DatasetFixture.Snapshot(interrupted), Is.EqualTo(DatasetFixture.Snapshot(whole)));
        Assert.That(File.GetLastWriteTimeUtc(Path.Combine(interrupted, "frames-00000.npy")), Is.EqualTo(shard0), "the verified shard was kept");
    }

    [Test]
    public void ResumeRedoesAShardWhoseBytesChanged()
    {
        var plan = DatasetFixture.Plan();
        var folder = Folder();
        Generate(plan, folder);
        var before = DatasetFixture.Snapshot(folder);
        var path = Path.Combine(folder, "states-00001.npy");
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        using var source = new ReferenceEpisodeSource(plan.Scene);
        var redone = new DatasetWriter(plan, folder).Write(source, ExistingDataset.Resume);
        Assert.That(redone, Is.EqualTo(new[] { 1 }));
        Assert.That(DatasetFixture.Snapshot(folder), Is.EqualTo(before));
    }

    [Test]
    public void ADifferentDatasetIsNeverOverwrittenWithoutForce()
    {
        var folder = Folder();
        Generate(DatasetFixture.Plan(), folder);
        var before = DatasetFixture.Snapshot(folder);
        var other = DatasetFixture.Plan(steps: 10);
        var e = Assert.Throws<UserError>(() => Generate(other, folder));
        Assert.That(e!.Message, Does.Contain("steps").And.Contain("--force"));
        Assert.Throws<UserError>(() => Generate(other, folder, ExistingDataset.Resume));
        Assert.That(DatasetFixture.Snapshot(folder), Is.EqualTo(before), "nothing touched");

        Generate(other, folder, ExistingDataset.Overwrite);
        Assert.That(Npy.Read(Path.Combine(folder, "states-00000.npy")).Shape, Is.EqualTo(new[] { 2, 10, 2 }));
    }

    [Test]
    public void AnUnwritableFolderIsAClearErrorAndWritesNothing()
    {
        var parent = Folder();
        var file = Path.Combine(parent, "a-file");
        File.WriteAllText(file, "x");
        var e = Assert.Throws<UserError>(() => Generate(DatasetFixture.Plan(), Path.Combine(file, "out")));
        Assert.That(e!.Message, Does.Contain("a-file"));
        e = Assert.Throws<UserError>(() => Generate(DatasetFixture.Plan(), file));
        Assert.That(e!.Message, Does.Contain("is a file"));
        e = Assert.Throws<UserError>(() => Generate(DatasetFixture.Plan(), "/proc/wejepa-dataset"));
        Assert.That(e!.Message, Does.Contain("/proc/wejepa-dataset"));
        Assert.That(Directory.GetFileSystemEntries(parent), Is.EqualTo(new[] { file }));
    }

    private sealed class Progress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
