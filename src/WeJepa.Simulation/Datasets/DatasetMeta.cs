using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Datasets;

/// <summary>One finished shard as recorded in meta.json: its episodes and the sha256 of each file.</summary>
public sealed record ShardRecord(int Index, int FirstEpisode, int Episodes, IReadOnlyDictionary<string, string> Sha256);

/// <summary>
/// <c>meta.json</c>: the dataset's identity (format, tool version, the scene YAML as given, seed, dt,
/// shapes and dtypes) and the shards finished so far with their sha256. Written deterministically
/// (no times, no paths) so the same seed gives the same bytes.
/// </summary>
public static class DatasetMeta
{
    public const string FileName = "meta.json";
    public const string Format = "wejepa-dataset/1";

    // Relaxed escaping keeps the scene YAML readable ('+', quotes, non-ASCII as themselves).
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToolVersion { get; } =
        typeof(DatasetMeta).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The fields that define the dataset (everything but the shard list), in file order.</summary>
    public static JsonObject Identity(DatasetPlan plan)
    {
        var s = plan.Scene.Settings;
        var (h, w, n) = (plan.Render.Height, plan.Render.Width, plan.StateSize);
        return new JsonObject
        {
            ["format"] = Format,
            ["tool_version"] = ToolVersion,
            ["scene"] = plan.SceneYaml,
            ["system"] = plan.Scene.System is DoublePendulumComponent ? "DoublePendulum" : "Pendulum",
            ["seed"] = s.Seed,
            ["dt"] = s.Dt,
            ["integrator"] = SceneSettings.YamlName(s.Integrator),
            ["episodes"] = plan.Episodes,
            ["steps"] = plan.Steps,
            ["shard_episodes"] = plan.ShardEpisodes,
            ["shards_total"] = plan.ShardCount,
            ["state_names"] = new JsonArray(plan.Scene.System.StateNames.Select(x => (JsonNode)x!).ToArray()),
            ["arrays"] = new JsonObject
            {
                ["frames"] = Array("uint8", "frames-NNNNN.npy", ["shard_episodes", "steps", 3, h, w], "RGB planes, 0..255; frame t shows the state after t steps"),
                ["states"] = Array("float32", "states-NNNNN.npy", ["shard_episodes", "steps", n], string.Join(", ", plan.Scene.System.StateNames)),
                ["energy"] = Array("float32", "energy-NNNNN.npy", ["shard_episodes", "steps"], "total mechanical energy (J) of each state"),
            },
        };
    }

    private static JsonObject Array(string dtype, string files, object[] shape, string note) => new()
    {
        ["dtype"] = dtype,
        ["files"] = files,
        ["shape"] = new JsonArray(shape.Select(d => d is int i ? JsonValue.Create(i) : (JsonNode)JsonValue.Create((string)d)!).ToArray()),
        ["note"] = note,
    };

    public static string Serialize(DatasetPlan plan, IEnumerable<ShardRecord> shards)
    {
        var meta = Identity(plan);
        meta["shards"] = new JsonArray(shards.OrderBy(r => r.Index).Select(r => (JsonNode)new JsonObject
        {
            ["index"] = r.Index,
            ["first_episode"] = r.FirstEpisode,
            ["episodes"] = r.Episodes,
            ["sha256"] = new JsonObject(r.Sha256.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        }).ToArray());
        return meta.ToJsonString(JsonOptions) + "\n";
    }

    /// <summary>
    /// Compares a meta.json text with <paramref name="plan"/>: null when it describes the same
    /// dataset, else the first differing field (an unreadable file differs in "format").
    /// </summary>
    public static string? FirstDifference(string metaJson, DatasetPlan plan)
    {
        JsonObject? old;
        try { old = JsonNode.Parse(metaJson) as JsonObject; }
        catch (JsonException) { return "format (meta.json is not valid JSON)"; }
        if (old is null) return "format (meta.json is not a JSON object)";
        foreach (var (key, value) in Identity(plan))
            if (!JsonNode.DeepEquals(old[key], value)) return key;
        return null;
    }

    /// <summary>The shard records of a meta.json text; malformed records are skipped (their shards get redone).</summary>
    public static List<ShardRecord> Shards(string metaJson)
    {
        var list = new List<ShardRecord>();
        JsonNode? root;
        try { root = JsonNode.Parse(metaJson); }
        catch (JsonException) { return list; }
        if (root?["shards"] is not JsonArray shards) return list;
        foreach (var s in shards.OfType<JsonObject>())
        {
            if (Int(s["index"]) is not { } index || Int(s["first_episode"]) is not { } first || Int(s["episodes"]) is not { } count) continue;
            if (s["sha256"] is not JsonObject hashes) continue;
            var sha = new Dictionary<string, string>();
            foreach (var (name, value) in hashes)
                if (value is JsonValue v && v.TryGetValue<string>(out var hex)) sha[name] = hex;
            list.Add(new ShardRecord(index, first, count, sha));
        }
        return list;
    }

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
}
