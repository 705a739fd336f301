using WeJepa.Core.Errors;
using WeJepa.Core.IO;

namespace WeJepa.Training.Runs;

/// <summary>
/// A run folder's checkpoints: <c>checkpoint.safetensors</c> is always the newest complete one (written to a hidden
/// temp file and renamed, so a process killed mid-write leaves the previous one in place), and the newest
/// <see cref="Keep"/> of them also stay as <c>checkpoint-STEP.safetensors</c> (older ones are deleted).
/// </summary>
public sealed class CheckpointFiles(string folder, int keep)
{
    public const string Latest = "checkpoint.safetensors";

    public string Folder { get; } = folder;
    public int Keep { get; } = keep;
    public string LatestPath => System.IO.Path.Combine(Folder, Latest);

    public static string StepName(long step) => $"checkpoint-{step:D8}.safetensors";

    /// <summary>Writes the checkpoint of <paramref name="step"/> through <paramref name="write"/> (which writes atomically), then rotates the kept copies.</summary>
    public void Publish(long step, Action<string> write)
    {
        write(LatestPath);
        if (Keep == 0) return;
        var kept = System.IO.Path.Combine(Folder, StepName(step));
        AtomicFile.Write(kept, s => { using var source = File.OpenRead(LatestPath); source.CopyTo(s); }, 1 << 20);
        foreach (var old in Steps().SkipLast(Keep)) File.Delete(old);
    }

    /// <summary>The kept step checkpoints, oldest first.</summary>
    public IEnumerable<string> Steps() => Directory.EnumerateFiles(Folder, "checkpoint-*.safetensors")
        .Where(f => System.IO.Path.GetFileName(f).Length == StepName(0).Length).Order(StringComparer.Ordinal);

    /// <summary>Deletes temp files a killed writer left behind (they never hold a complete checkpoint).</summary>
    public void RemoveLeftovers() => AtomicFile.RemoveTemporaries(Folder);

    /// <summary>The error a non-finite loss or gradient stops a run with (exit 4), saying which checkpoint survives.</summary>
    public UserError Diverged(string what, long step, long lastGood) => new(
        $"training diverged at step {step}: {what}; " +
        (lastGood > 0 ? $"the last good checkpoint (step {lastGood}) is kept in {LatestPath}" : "no checkpoint was written yet"), ExitCodes.Diverged);
}
