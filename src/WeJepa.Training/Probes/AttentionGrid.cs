namespace WeJepa.Training.Probes;

/// <summary>
/// One frame's attention as an image grid: row l is layer l, column 0 the frame itself, column 1 + h head h's map: for
/// each patch, the attention it receives averaged over all query tokens (a distribution over the patches, since each
/// query's probabilities sum to 1), drawn in viridis from the map's own minimum to its maximum (as matplotlib's imshow
/// normalises) and blended half and half over the
/// frame, each patch a block of the frame's pixels. Tiles are zoomed by an integer factor and parted by a white line.
/// </summary>
public static class AttentionGrid
{
    public const int Gap = 2;

    // viridis at 0, 0.25, 0.5, 0.75, 1 (matplotlib's table), linearly interpolated between
    static readonly (double R, double G, double B)[] Viridis =
        [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    /// <summary>Mean over the queries of probabilities (H, N, N) for head <paramref name="head"/>: N values that sum to 1.</summary>
    public static double[] Received(ReadOnlySpan<float> probabilities, int tokens, int head)
    {
        var map = new double[tokens];
        var p = probabilities.Slice(head * tokens * tokens, tokens * tokens);
        for (int q = 0; q < tokens; q++)
            for (int k = 0; k < tokens; k++) map[k] += p[q * tokens + k];
        for (int k = 0; k < tokens; k++) map[k] /= tokens;
        return map;
    }

    /// <summary>The grid's size for <paramref name="layers"/> × (1 + <paramref name="heads"/>) tiles of a size×size frame zoomed by <paramref name="zoom"/>.</summary>
    public static (int Width, int Height) Size(int layers, int heads, int size, int zoom) =>
        ((1 + heads) * size * zoom + heads * Gap, layers * size * zoom + (layers - 1) * Gap);

    /// <summary>
    /// frame (3, S, S) in [0, 1]; per layer the probabilities (H, N, N) of this frame, N = gridHeight·gridWidth → RGB bytes
    /// of the grid (<see cref="Size"/>).
    /// </summary>
    public static byte[] Render(ReadOnlySpan<float> frame, int size, IReadOnlyList<float[]> layers, int heads, int gridHeight, int gridWidth, int zoom)
    {
        int tokens = gridHeight * gridWidth, tile = size * zoom;
        if (frame.Length != 3 * size * size) throw new ArgumentException($"attention grid: a frame of {frame.Length} values is not 3×{size}×{size}");
        if (size % gridHeight != 0 || size % gridWidth != 0) throw new ArgumentException($"attention grid: a {gridHeight}×{gridWidth} patch grid does not tile {size}×{size}");
        var (width, height) = Size(layers.Count, heads, size, zoom);
        var rgb = new byte[width * height * 3];
        Array.Fill(rgb, (byte)255);
        var frameSpan = frame;
        for (int l = 0; l < layers.Count; l++)
        {
            if (layers[l].Length != heads * tokens * tokens) throw new ArgumentException($"attention grid: layer {l} holds {layers[l].Length} values, expected {heads}×{tokens}×{tokens}");
            int top = l * (tile + Gap);
            for (int column = 0; column <= heads; column++)
            {
                var map = column == 0 ? null : Received(layers[l], tokens, column - 1);
                double min = map?.Min() ?? 0, range = Math.Max((map?.Max() ?? 1) - min, 1e-12);
                int left = column * (tile + Gap);
                for (int y = 0; y < tile; y++)
                    for (int x = 0; x < tile; x++)
                    {
                        int py = y / zoom, px = x / zoom;
                        var pixel = (frameSpan[py * size + px], frameSpan[size * size + py * size + px], frameSpan[2 * size * size + py * size + px]);
                        double r = pixel.Item1, g = pixel.Item2, b = pixel.Item3;
                        if (map is not null)
                        {
                            var (cr, cg, cb) = Color((map[py / (size / gridHeight) * gridWidth + px / (size / gridWidth)] - min) / range);
                            (r, g, b) = (0.5 * r + 0.5 * cr, 0.5 * g + 0.5 * cg, 0.5 * b + 0.5 * cb);
                        }
                        int o = ((top + y) * width + left + x) * 3;
                        (rgb[o], rgb[o + 1], rgb[o + 2]) = (Byte(r), Byte(g), Byte(b));
                    }
            }
        }
        return rgb;
    }

    static byte Byte(double v) => (byte)Math.Clamp(Math.Round(v * 255), 0, 255);

    /// <summary>Viridis at t ∈ [0, 1], as RGB in [0, 1].</summary>
    public static (double R, double G, double B) Color(double t)
    {
        double u = Math.Clamp(t, 0, 1) * (Viridis.Length - 1);
        int i = Math.Min((int)u, Viridis.Length - 2);
        double f = u - i;
        var (a, b) = (Viridis[i], Viridis[i + 1]);
        return ((a.R + f * (b.R - a.R)) / 255, (a.G + f * (b.G - a.G)) / 255, (a.B + f * (b.B - a.B)) / 255);
    }
}
