using System.Text.Json.Nodes;
using WeJepa.Reports;
using WeJepa.Training.Runs;

namespace WeJepa.Training.Jepa;

/// <summary>
/// The PNG charts of a JEPA run, drawn from its whole metrics.jsonl (earlier segments of a resumed run included):
/// <c>loss.png</c> (train and validation loss), <c>collapse.png</c> (mean per-dimension feature std of student
/// and teacher), <c>rank.png</c> (their effective rank) and <c>schedules.png</c> (lr, weight decay and teacher
/// momentum, each over its own maximum).
/// </summary>
public static class JepaCharts
{
    public static readonly string[] Files = ["loss.png", "collapse.png", "rank.png", "schedules.png"];

    public static void Write(string folder, string metricsPath)
    {
        if (!File.Exists(metricsPath)) return;
        var rows = File.ReadAllLines(metricsPath).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        if (rows.Count == 0) return;
        (double[] X, double[] Y) Series(string key)
        {
            var kept = rows.Where(r => r[key] is JsonValue).ToList();
            return (kept.Select(r => r["step"]!.GetValue<double>()).ToArray(), kept.Select(r => r[key]!.GetValue<double>()).ToArray());
        }
        Chart Lines(string title, string y, bool logY, params (string Name, string Key)[] lines)
        {
            var chart = new Chart(title, "step", y) { LogY = logY };
            foreach (var (name, key) in lines)
            {
                var (xs, ys) = Series(key);
                if (xs.Length > 0 && (!logY || ys.All(v => v > 0))) chart.Line(name, xs, ys);
            }
            return chart;
        }
        ChartFile.Save(Lines("JEPA loss", "loss", false, ("train", "loss"), ("validation", "val_loss")), Path.Combine(folder, Files[0]));
        ChartFile.Save(Lines("feature spread (mean std per dimension)", "std", false, ("student", "feature_std_student"), ("teacher", "feature_std_teacher")), Path.Combine(folder, Files[1]));
        ChartFile.Save(Lines("effective rank of pooled features", "rank", false, ("student", "effective_rank_student"), ("teacher", "effective_rank_teacher")), Path.Combine(folder, Files[2]));
        var schedules = new Chart("schedules (each ÷ its maximum)", "step", "fraction of max");
        foreach (var (name, key) in new[] { ("lr", "lr"), ("weight decay", "wd"), ("teacher momentum", "momentum") })
        {
            var (xs, ys) = Series(key);
            double max = ys.Length > 0 ? ys.Max() : 0;
            if (max > 0) schedules.Line($"{name} (max {max:G3})", xs, ys.Select(v => v / max).ToArray());
        }
        ChartFile.Save(schedules, Path.Combine(folder, Files[3]));
    }
}
