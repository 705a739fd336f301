using WeJepa.Reports;
using WeJepa.Training.Dynamics;

namespace WeJepa.App.Commands;

/// <summary>The loss chart of a run: train and test loss against the step, log y.</summary>
static class LossChart
{
    public static void Write(string path, IReadOnlyList<DynamicsMetrics> metrics)
    {
        if (metrics.Count == 0 || !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)))) return;
        var chart = new Chart("loss", "step", "loss") { LogY = true };
        chart.Line("train", metrics.Select(m => (double)m.Step).ToArray(), metrics.Select(m => m.TrainLoss).ToArray());
        var test = metrics.Where(m => m.TestLoss is { } t && double.IsFinite(t)).ToList();
        if (test.Count > 0) chart.Line("test", test.Select(m => (double)m.Step).ToArray(), test.Select(m => m.TestLoss!.Value).ToArray());
        WeJepa.Training.Runs.ChartFile.Save(chart, path);
    }
}
