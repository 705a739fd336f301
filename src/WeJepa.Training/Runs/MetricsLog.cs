using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
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

    /// <summary>
    /// Keeps the lines whose "step" is at most <paramref name="step"/> (atomically). A last line without its newline is an
    /// append cut short by a kill; it is dropped (its step was never checkpointed: a trainer logs a step before saving it).
    /// </summary>
    public void TruncateAfter(long step)
    {
        if (!File.Exists(Path)) return;
        var lines = File.ReadAllText(Path).Split('\n')[..^1];
        var kept = lines.Where((l, i) => l.Length > 0 && Step(l, i + 1) <= step);
        AtomicFile.WriteAllText(Path, string.Concat(kept.Select(l => l + "\n")));
    }

    long? Step(string line, int number)
    {
        try { return JsonNode.Parse(line)?["step"]?.GetValue<long>(); }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new UserError($"{Path}:{number}: not a metrics line (a JSON object with a \"step\"): {e.Message}");
        }
    }

    /// <summary>A finite double, or null (JSON has no NaN).</summary>
    public static JsonNode? Number(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
