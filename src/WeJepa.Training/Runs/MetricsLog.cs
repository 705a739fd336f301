using System.Text.Json.Nodes;
using WeJepa.Core.IO;

namespace WeJepa.Training.Runs;

/// <summary>
/// A run's <c>metrics.jsonl</c>: one JSON object per logged step, appended as training goes (a notebook reads it with
/// <c>pandas.read_json(lines=True)</c>). A resume cuts the file back to the checkpoint's step, since later lines belong
/// to the interrupted tail that is trained again.
/// </summary>
public sealed class MetricsLog(string path)
{
    public const string FileName = "metrics.jsonl";

    public string Path { get; } = path;

    public void Append(JsonObject line) => File.AppendAllText(Path, line.ToJsonString() + "\n");

    /// <summary>Keeps the lines whose "step" is at most <paramref name="step"/> (atomically).</summary>
    public void TruncateAfter(long step)
    {
        if (!File.Exists(Path)) return;
        var kept = File.ReadAllLines(Path).Where(l => l.Length > 0 && JsonNode.Parse(l)?["step"]?.GetValue<long>() <= step);
        AtomicFile.WriteAllText(Path, string.Concat(kept.Select(l => l + "\n")));
    }

    /// <summary>A finite double, or null (JSON has no NaN).</summary>
    public static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
