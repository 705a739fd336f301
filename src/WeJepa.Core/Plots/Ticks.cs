using System.Globalization;

namespace WeJepa.Core.Plots;

/// <summary>"Nice" axis ticks: steps of 1, 2 or 5 × 10^k, and labels with just enough digits.</summary>
public static class Ticks
{
    /// <summary>About <paramref name="target"/> evenly spaced nice tick values inside [lo, hi].</summary>
    public static double[] For(double lo, double hi, int target = 6)
    {
        if (!(hi > lo)) throw new ArgumentException($"empty range [{lo}, {hi}]");
        var step = NiceStep((hi - lo) / Math.Max(1, target - 1));
        var first = Math.Ceiling(lo / step - 1e-9) * step;
        var last = Math.Floor(hi / step + 1e-9) * step;
        var n = (int)Math.Round((last - first) / step);
        return Enumerable.Range(0, n + 1).Select(i => Clean(first + i * step, step)).ToArray();
    }

    public static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / magnitude;
        return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * magnitude;
    }

    /// <summary>Labels for evenly spaced <paramref name="values"/>: fixed-point, or scientific for very large/small ones.</summary>
    public static string[] Labels(double[] values)
    {
        if (values.Length == 0) return [];
        var step = values.Length > 1 ? Math.Abs(values[1] - values[0]) : Math.Max(Math.Abs(values[0]), 1);
        var big = values.Max(Math.Abs);
        if (big >= 1e5 || step < 1e-3)
        {
            var digits = Math.Max(0, (int)Math.Ceiling(Math.Log10(Math.Max(big, step) / step) - 1e-9));
            return values.Select(v => v == 0 ? "0" : v.ToString("0." + new string('#', digits) + "e0", CultureInfo.InvariantCulture)).ToArray();
        }
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        return values.Select(v => v.ToString("F" + decimals, CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>Snaps float noise (0.30000000000000004) to the step's grid.</summary>
    private static double Clean(double v, double step) => Math.Abs(v) < step * 1e-9 ? 0 : Math.Round(v / step) * step;
}
