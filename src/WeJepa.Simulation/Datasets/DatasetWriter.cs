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
/// temporaries, removed by the next run); frames stream to disk chunk by chunk, hashed as they go,
/// the next chunk rendering while the last one is written.
/// </summary>
public sealed partial class DatasetWriter(DatasetPlan plan, string folder)
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
        if (File.Exists(folder)) throw new UserError($"{folder}: exists and is a file, expected an output folder");
        bool created = !Directory.Exists(folder);
        AtomicFile.EnsureFolder(folder);
        try { return WriteLocked(source, existing, cancel); }
        catch when (created)
        {
            // A run that fails before its first shard (a diverging scene, say) leaves no empty folder behind.
            if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            throw;
        }
    }

    private IReadOnlyList<int> WriteLocked(IEpisodeSource source, ExistingDataset existing, CancellationToken cancel)
    {
        using var exclusive = FileLock.Acquire(folder); // a second writer is refused, never mixed in
        var kept = PrepareFolder(existing);
        var done = new List<ShardRecord>(kept); // meta.json is written after each shard, so a failed first shard leaves none
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
        if (written.Count == 0) WriteMeta(done);   // every shard was kept: PrepareFolder removed meta.json with the other dataset files
        WritePreview();
        return written;
    }

    /// <summary>Checks the folder is usable, clears what must go, returns the verified shards to keep.</summary>
    private List<ShardRecord> PrepareFolder(ExistingDataset existing)
    {
        ProbeWritable();
        foreach (var stale in Directory.EnumerateFiles(folder, $".*{AtomicFile.TempMarker}*").Where(f => IsOurTemporary(Path.GetFileName(f)))) File.Delete(stale);

        var metaPath = Path.Combine(folder, DatasetMeta.FileName);
        bool hasMeta = File.Exists(metaPath);
        bool hasShards = Directory.EnumerateFiles(folder, "*.npy").Any(f => IsDatasetFile(Path.GetFileName(f)));
        if (!hasMeta && !hasShards) return [];

        var metaText = hasMeta ? BoundedFile.ReadAllText(metaPath, 64 << 20, "dataset meta.json") : "";
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

    /// <summary>The names this writer produces: meta.json, preview.png and frames/states/energy-NNNNN.npy (nothing else is ever deleted).</summary>
    private static bool IsDatasetFile(string name) =>
        name is DatasetMeta.FileName or PreviewFile || ShardName().IsMatch(name);

    /// <summary>A temporary of one of our files left by a killed run: <c>.NAME.tmp-GUID</c>.</summary>
    private static bool IsOurTemporary(string name) =>
        TemporaryName().Match(name) is { Success: true } m && IsDatasetFile(m.Groups["name"].Value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^(frames|states|energy)-[0-9]{5,}\.npy$")]
    private static partial System.Text.RegularExpressions.Regex ShardName();

    [System.Text.RegularExpressions.GeneratedRegex(@"^\.(?<name>.+)\.tmp-[0-9a-f]+$")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

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
        CheckFinite(batch, first, t);
        var sha = new Dictionary<string, string>();
        var framesShape = new[] { k, t, 3, plan.Render.Height, plan.Render.Width };
        int perChunk = Math.Min(source.MaxFramesPerRender, k * t), total = k * t;
        // Two frame slots: while one chunk is hashed and written (straight from the slot: for the Vulkan
        // source that is the mapped device memory), the next renders into the other slot on the
        // renderer's own threads, so memory stays at two chunks whatever the shard size.
        int Frames(int start) => Math.Min(perChunk, total - start);
        sha[DatasetPlan.FramesFile(shard)] = WriteStreamed(DatasetPlan.FramesFile(shard), Npy.Header("|u1", framesShape), stream =>
        {
            batch.BeginRender(0, 0, Frames(0));
            for (int start = 0, slot = 0; start < total; start += perChunk, slot ^= 1)
            {
                int n = Frames(start);
                if (start + n < total) batch.BeginRender(slot ^ 1, start + n, Frames(start + n));
                var frames = batch.EndRender(slot);
                cancel.ThrowIfCancellationRequested();
                stream.Write(frames);
                Progress?.Report(framesBefore + start + n);
            }
        });
        sha[DatasetPlan.StatesFile(shard)] = WriteFloats(DatasetPlan.StatesFile(shard), batch.States, [k, t, plan.StateSize]);
        sha[DatasetPlan.EnergyFile(shard)] = WriteFloats(DatasetPlan.EnergyFile(shard), batch.Energy, [k, t]);
        return new ShardRecord(shard, first, k, sha);
    }

    /// <summary>Refuses a shard whose physics produced Inf/NaN, before any of its files is written.</summary>
    private void CheckFinite(IEpisodeBatch batch, int firstEpisode, int steps)
    {
        int bad = Array.FindIndex(batch.States, v => !float.IsFinite(v));
        int frame = bad >= 0 ? bad / plan.StateSize : Array.FindIndex(batch.Energy, v => !float.IsFinite(v));
        if (frame < 0) return;
        var s = plan.Scene.Settings;
        throw new UserError($"{plan.Scene.Source}: the simulation diverged: episode {firstEpisode + frame / steps}, frame {frame % steps} is not finite; " +
                            $"lower scene.dt (now {s.Dt} s) or make the system less stiff (integrator {Core.Scenes.SceneSettings.YamlName(s.Integrator)})");
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
