using WeJepa.Learning.Models.Masks;

namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// A learned position table resized to another token grid, as a ViT does on the fly when the image size changes
/// (timm's and ijepa's <c>interpolate_pos_encoding</c>): the table (1, h·w, D) read as a D-channel h×w image and
/// resampled bicubically (PyTorch's <c>F.interpolate(mode="bicubic", align_corners=False)</c>: Keys' kernel with
/// a = −0.75, source x = (x' + ½)·h/h' − ½, taps clamped to the border). Bicubic resampling is separable and linear, so
/// it is two matrix products with constant (h', h) and (w', w) weight matrices: differentiable by the existing MatMul,
/// and the gradient reaches the learned table.
/// </summary>
public static class PositionResize
{
    const double A = -0.75;

    /// <summary>The (to, from) row-major weights of 1-D bicubic resampling from <paramref name="from"/> samples to <paramref name="to"/>.</summary>
    public static double[] Weights(int from, int to)
    {
        if (from < 1 || to < 1) throw new ArgumentOutOfRangeException(nameof(from), $"position resize: sizes {from} → {to} must be positive");
        var w = new double[to * from];
        double scale = from / (double)to;
        for (int i = 0; i < to; i++)
        {
            double source = (i + 0.5) * scale - 0.5;
            int floor = (int)Math.Floor(source);
            double t = source - floor;
            double[] taps = [Far(t + 1), Near(t), Near(1 - t), Far(2 - t)];
            for (int k = 0; k < 4; k++) w[i * from + Math.Clamp(floor - 1 + k, 0, from - 1)] += taps[k];
        }
        return w;
    }

    static double Near(double x) => ((A + 2) * x - (A + 3)) * x * x + 1;           // |x| ≤ 1
    static double Far(double x) => ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;      // 1 < |x| < 2

    /// <summary>table (1, from.Count, D) → (1, to.Count, D) on the image grids <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static Tensor Resize(Tensor table, TokenGrid from, TokenGrid to)
    {
        if (from.Frames != 1 || to.Frames != 1)
            throw new ShapeError($"position resize: only image grids resize (got {from.Frames}×{from.Height}×{from.Width} → {to.Frames}×{to.Height}×{to.Width})");
        if (table.Rank != 3 || table.Shape[0] != 1 || table.Shape[1] != from.Count)
            throw new ShapeError($"position resize: table {Shapes.Format(table.Shape)} is not (1, {from.Count}, D) for a {from.Height}×{from.Width} grid");
        if (from == to) return table;
        int D = table.Shape[2];
        var (h, w, h2, w2) = (from.Height, from.Width, to.Height, to.Width);
        var rows = Constant(table.Device, Weights(h, h2), h2, h);
        var columns = Constant(table.Device, Weights(w, w2), w2, w);
        var x = Ops.MatMul(rows, Ops.Reshape(table, h, w * D));                              // (h', w·D)
        x = Ops.Reshape(Ops.Permute(Ops.Reshape(x, h2, w, D), 1, 0, 2), w, h2 * D);            // (w, h'·D)
        x = Ops.MatMul(columns, x);                                                           // (w', h'·D)
        return Ops.Reshape(Ops.Permute(Ops.Reshape(x, w2, h2, D), 1, 0, 2), 1, h2 * w2, D);
    }

    static Tensor Constant(Devices.Device device, double[] values, int rows, int columns) =>
        Tensor.FromArray(device, values.Select(v => (float)v).ToArray(), rows, columns);
}
