using WeJepa.Training.Dynamics;

namespace WeJepa.App.Commands;

/// <summary>The loss chart of a run (log10 of train and test loss against the step), drawn with the project's line plot.</summary>
static class LossChart
{
    public static void Write(string path, IReadOnlyList<DynamicsMetrics> metrics)
    {
        if (metrics.Count == 0 || !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path)))) return;
        var plot = new WeJepa.Core.Plots.LinePlot("loss", "step", "log10 loss");
        var steps = metrics.Select(m => (double)m.Step).ToArray();
        plot.Add("train", steps, metrics.Select(m => Math.Log10(Math.Max(m.TrainLoss, 1e-30))).ToArray());
        var test = metrics.Where(m => m.TestLoss is not null).ToList();
        if (test.Count > 0) plot.Add("test", test.Select(m => (double)m.Step).ToArray(), test.Select(m => Math.Log10(Math.Max(m.TestLoss!.Value, 1e-30))).ToArray());
        var temp = WeJepa.Core.IO.AtomicFile.TempSibling(Path.GetFullPath(path));
        plot.SavePng(temp);
        File.Move(temp, path, overwrite: true);
    }
}
