using System.Text.Json.Nodes;

namespace WeJepa.Training.Probes;

/// <summary>Every probe of one feature source: the ridge fit, the SGD head's epochs, and the scene classifier's (when there are several scenes).</summary>
public sealed record ProbeRow(string Features, int Size, RidgeResult Ridge, IReadOnlyList<ProbeEpoch> Sgd, IReadOnlyList<ProbeEpoch>? Classification);

/// <summary>
/// Runs the probes on each feature source and writes what they found: a table (R² of the angles — the mean over their
/// sin and cos — and of the velocities, ridge and SGD; scene accuracy) and <c>probe.json</c> with every number.
/// </summary>
public static class ProbeReport
{
    public static ProbeRow Run(string name, ProbeSet train, ProbeSet validation, int classes, SgdSettings sgd) => new(
        name, train.FeatureSize, RidgeProbe.Fit(train, validation, sgd.Seed), SgdProbe.Regression(train, validation, sgd),
        classes >= 2 ? SgdProbe.Classification(train, validation, classes, sgd) : null);

    public static double Mean(double[] values, int[] columns) => columns.Average(c => values[c]);

    public static string Table(IReadOnlyList<ProbeRow> rows, ProbeTargets targets)
    {
        var lines = new List<string> { $"{"features",-30} {"dim",6} {"ridge R² angle",15} {"ridge R² ω",11} {"SGD R² angle",13} {"SGD R² ω",9} {"scene acc",10}" };
        foreach (var r in rows)
        {
            var last = r.Sgd[^1].ValidationRSquared;
            var accuracy = r.Classification is { } c ? c[^1].ValidationAccuracy!.Value.ToString("F3") : "—";
            lines.Add($"{r.Features,-30} {r.Size,6} {Mean(r.Ridge.RSquared, targets.AngleColumns),15:F3} {Mean(r.Ridge.RSquared, targets.VelocityColumns),11:F3} " +
                      $"{Mean(last, targets.AngleColumns),13:F3} {Mean(last, targets.VelocityColumns),9:F3} {accuracy,10}");
        }
        return string.Join('\n', lines) + "\n";
    }

    public static JsonObject Json(IReadOnlyList<ProbeRow> rows, ProbeTargets targets, JsonObject header)
    {
        JsonObject PerTarget(double[] v) => new(targets.Names.Select((n, i) => KeyValuePair.Create(n, (JsonNode?)v[i])));
        var json = (JsonObject)header.DeepClone();
        json["targets"] = new JsonArray(targets.Names.Select(n => (JsonNode?)n).ToArray());
        json["rows"] = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject
        {
            ["features"] = r.Features,
            ["dim"] = r.Size,
            ["ridge"] = new JsonObject
            {
                ["strength"] = r.Ridge.Strength, ["r2"] = PerTarget(r.Ridge.RSquared),
                ["r2_angle"] = Mean(r.Ridge.RSquared, targets.AngleColumns), ["r2_omega"] = Mean(r.Ridge.RSquared, targets.VelocityColumns),
            },
            ["sgd"] = new JsonArray(r.Sgd.Select(e => (JsonNode?)new JsonObject
            {
                ["epoch"] = e.Epoch, ["train_loss"] = e.TrainLoss, ["r2"] = PerTarget(e.ValidationRSquared),
                ["r2_angle"] = Mean(e.ValidationRSquared, targets.AngleColumns), ["r2_omega"] = Mean(e.ValidationRSquared, targets.VelocityColumns),
            }).ToArray()),
            ["classification"] = r.Classification is { } c
                ? new JsonArray(c.Select(e => (JsonNode?)new JsonObject { ["epoch"] = e.Epoch, ["train_loss"] = e.TrainLoss, ["accuracy"] = e.ValidationAccuracy }).ToArray())
                : null,
        }).ToArray());
        return json;
    }
}
