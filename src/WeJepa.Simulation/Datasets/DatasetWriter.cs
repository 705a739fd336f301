using System.Security.Cryptography;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Datasets;

/// <summary>What to do with an output folder that already holds a dataset.</summary>
public enum ExistingDataset
{
    /// <summary>Refuse a different dataset; regenerate the same one from scratch.</summary>
    Refuse,
    /// <summary>Keep the shards whose sha256 still matches meta.json, redo the rest (same plan only).</summary>
    Resume,
    /// <summary>Delete the old dataset files, whatever they hold.</summary>
    Overwrite,
}

/// <summary>
/// Writes a dataset folder shard by shard: <c>frames-NNNNN.npy</c> (uint8 (K, T, 3, H, W)),
/// <c>states-NNNNN.npy</c> (float32 (K, T, S)), <c>energy-NNNNN.npy</c> (float32 (K, T)), then
/// <c>meta.json</c> updated after every shard, and <c>preview.png</c> at the end. Every file is written
/// under a hidden temporary name and renamed, so a killed run leaves only whole shards (plus stale
/// temporaries, removed by the next run); frames stream to disk chunk by chunk, hashed as they go.
/// </summary>
public sealed class DatasetWriter(DatasetPlan plan, string folder)
{
    public const string PreviewFile = "preview.png";

    /// <summary>Reports frames written so far (of <see cref="DatasetPlan.TotalFrames"/>).</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>Episodes (first frames) shown as rows of the preview; columns are 8 times spread over the episode.</summary>
    public int PreviewRows { get; init; } = 8;

    /// <summary>Generates the dataset; returns the indices of the shards it wrote (resumed ones are skipped).</summary>
    public IReadOnlyList<int> Write(IEpisodeSource source, ExistingDataset existing, CancellationToken cancel = default)
    {
        source.CheckFits(plan.ShardEpisodes, plan.Steps);   // memory first, then disk: nothing written yet
        DatasetChecks.CheckFits(plan, folder);
        var kept = PrepareFolder(existing);
        var done = new List<ShardRecord>(kept);
        WriteMeta(done);
        var written = new List<int>();
        long framesDone = kept.Sum(r => (long)r.Episodes * plan.Steps);
        Progress?.Report(framesDone);
        for (int shard = 0; shard < plan.ShardCount; shard++)
        {
            if (kept.Any(r => r.Index == shard)) continue;
            cancel.ThrowIfCancellationRequested();
            done.Add(WriteShard(source, shard, framesDone, cancel));
            written.Add(shard);
            framesDone += (long)plan.ShardSize(shard) * plan.Steps;
            WriteMeta(done);
        }
        WritePreview();
        return written;
    }

    /// <summary>Checks the folder is usable, clears what must go, returns the verified shards to keep.</summary>
    private List<ShardRecord> PrepareFolder(ExistingDataset existing)
    {
        if (File.Exists(folder)) throw new UserError($"{folder}: exists and is a file, expected an output folder");
        AtomicFile.EnsureFolder(folder);
        ProbeWritable();
        foreach (var stale in Directory.EnumerateFiles(folder, $".*{AtomicFile.TempMarker}*")) File.Delete(stale);

        var metaPath = Path.Combine(folder, DatasetMeta.FileName);
        bool hasMeta = File.Exists(metaPath);
        bool hasShards = Directory.EnumerateFiles(folder, "*.npy").Any(f => IsDatasetFile(Path.GetFileName(f)));
        if (!hasMeta && !hasShards) return [];

        var metaText = hasMeta ? File.ReadAllText(metaPath) : "";
        var difference = hasMeta ? DatasetMeta.FirstDifference(metaText, plan) : "meta.json (missing)";
        if (difference is not null && existing != ExistingDataset.Overwrite)
            throw new UserError($"{folder}: already holds a different dataset ({difference} differs); pass --force to overwrite it");
        var keep = existing == ExistingDataset.Resume && difference is null
            ? DatasetMeta.Shards(metaText).Where(IsIntact).ToList()
            : [];
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var name = Path.GetFileName(file);
            if (IsDatasetFile(name) && !keep.Any(r => DatasetPlan.ShardFiles(r.Index).Contains(name))) File.Delete(file);
        }
        return keep;
    }

    private bool IsIntact(ShardRecord r) =>
        r.Index >= 0 && r.Index < plan.ShardCount && r.FirstEpisode == plan.ShardFirstEpisode(r.Index) && r.Episodes == plan.ShardSize(r.Index)
        && DatasetPlan.ShardFiles(r.Index).All(name =>
            r.Sha256.TryGetValue(name, out var sha) && File.Exists(Path.Combine(folder, name)) && Sha256Of(Path.Combine(folder, name)) == sha);

    private static bool IsDatasetFile(string name) =>
        name is DatasetMeta.FileName or PreviewFile
        || (name.EndsWith(".npy", StringComparison.Ordinal) && (name.StartsWith("frames-", StringComparison.Ordinal)
            || name.StartsWith("states-", StringComparison.Ordinal) || name.StartsWith("energy-", StringComparison.Ordinal)));

    private void ProbeWritable()
    {
        var probe = Path.Combine(folder, $".probe{AtomicFile.TempMarker}{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError($"{folder}: the output folder is not writable: {e.Message}");
        }
    }

    private ShardRecord WriteShard(IEpisodeSource source, int shard, long framesBefore, CancellationToken cancel)
    {
        int k = plan.ShardSize(shard), t = plan.Steps, first = plan.ShardFirstEpisode(shard);
        using var batch = source.Simulate(first, k, t);
        var sha = new Dictionary<string, string>();
        var framesShape = new[] { k, t, 3, plan.Render.Height, plan.Render.Width };
        var chunk = new byte[Math.Min(source.MaxFramesPerRender, k * t) * plan.FrameBytes];
        sha[DatasetPlan.FramesFile(shard)] = WriteStreamed(DatasetPlan.FramesFile(shard), Npy.Header("|u1", framesShape), stream =>
        {
            for (int start = 0; start < k * t; start += chunk.Length / plan.FrameBytes)
            {
                cancel.ThrowIfCancellationRequested();
                int n = Math.Min(chunk.Length / plan.FrameBytes, k * t - start);
                var frames = chunk.AsSpan(0, n * plan.FrameBytes);
                batch.RenderFrames(start, frames);
                stream.Write(frames);
                Progress?.Report(framesBefore + start + n);
            }
        });
        sha[DatasetPlan.StatesFile(shard)] = WriteFloats(DatasetPlan.StatesFile(shard), batch.States, [k, t, plan.StateSize]);
        sha[DatasetPlan.EnergyFile(shard)] = WriteFloats(DatasetPlan.EnergyFile(shard), batch.Energy, [k, t]);
        return new ShardRecord(shard, first, k, sha);
    }

    private string WriteFloats(string name, float[] data, int[] shape) =>
        WriteStreamed(name, Npy.Header("<f4", shape), s => s.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan())));

    /// <summary>Writes header + body to a hidden temporary file, renames it to <paramref name="name"/>, returns its sha256 (hex).</summary>
    private string WriteStreamed(string name, byte[] header, Action<Stream> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AtomicFile.Write(Path.Combine(folder, name), file =>
        {
            var hashing = new HashingStream(file, hash);
            hashing.Write(header);
            body(hashing);
        }, bufferSize: 1 << 20);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private void WriteMeta(IEnumerable<ShardRecord> shards) =>
        AtomicFile.WriteAllText(Path.Combine(folder, DatasetMeta.FileName), DatasetMeta.Serialize(plan, shards));

    /// <summary>
    /// preview.png: rows = the first <see cref="PreviewRows"/> episodes of shard 0, columns = 8 frames
    /// spread evenly from t = 0 to T−1 (read back from the written shard).
    /// </summary>
    private void WritePreview()
    {
        int rows = Math.Min(PreviewRows, plan.ShardSize(0)), cols = Math.Min(8, plan.Steps), fb = plan.FrameBytes;
        var frames = new byte[rows * cols * fb];
        using (var file = File.OpenRead(Path.Combine(folder, DatasetPlan.FramesFile(0))))
        {
            int header = Npy.Header("|u1", [plan.ShardSize(0), plan.Steps, 3, plan.Render.Height, plan.Render.Width]).Length;
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
            {
                long t = cols == 1 ? 0 : (long)c * (plan.Steps - 1) / (cols - 1);
                file.Position = header + ((long)r * plan.Steps + t) * fb;
                file.ReadExactly(frames, (r * cols + c) * fb, fb);
            }
        }
        var (rgb, w, h) = ContactSheet.Tile(frames, rows * cols, plan.Render.Height, plan.Render.Width, cols);
        PngFile.Save(Path.Combine(folder, PreviewFile), rgb, w, h, zoom: plan.Render.Width < 128 ? 2 : 1);
    }

    /// <summary>sha256 (lower-case hex) of a file's bytes.</summary>
    public static string Sha256Of(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
