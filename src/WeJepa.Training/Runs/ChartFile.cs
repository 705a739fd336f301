using WeJepa.Core.IO;
using WeJepa.Reports;

namespace WeJepa.Training.Runs;

/// <summary>Saves a chart as PNG atomically (a reader never sees half an image).</summary>
public static class ChartFile
{
    public static void Save(Chart chart, string path)
    {
        var full = Path.GetFullPath(path);
        var temp = AtomicFile.TempSibling(full);
        chart.SavePng(temp);
        File.Move(temp, full, overwrite: true);
    }
}
