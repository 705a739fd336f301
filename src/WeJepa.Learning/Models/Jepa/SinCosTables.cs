namespace WeJepa.Learning.Models.Jepa;

/// <summary>
/// Fixed sine-cosine position tables (MAE / I-JEPA), computed in double and rounded once to float32.
/// A 1-D table of width d over positions p is <c>[sin(p·ω_i) | cos(p·ω_i)]</c>, ω_i = 10000^(−i/(d/2)), i &lt; d/2.
/// </summary>
public static class SinCosTables
{
    /// <summary>The table of a token grid: 3-D for clips (<paramref name="spaceTime"/>), else 2-D.</summary>
    public static float[] For(int dim, Masks.TokenGrid grid, bool spaceTime) => spaceTime
        ? ThreeD(dim, grid.Frames, grid.Height, grid.Width)
        : TwoD(dim, grid.Height, grid.Width);

    /// <summary>(positions, dim) row-major: I-JEPA's <c>get_1d_sincos_pos_embed_from_grid</c>.</summary>
    public static double[] OneD(int dim, double[] positions)
    {
        if (dim < 2 || dim % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "sin-cos table: width must be even and positive");
        int half = dim / 2;
        var table = new double[positions.Length * dim];
        for (int m = 0; m < positions.Length; m++)
            for (int i = 0; i < half; i++)
            {
                double angle = positions[m] * (1.0 / Math.Pow(10000, i / (double)half));   // numpy: pos · (1 / 10000^ω)
                table[m * dim + i] = Math.Sin(angle);
                table[m * dim + half + i] = Math.Cos(angle);
            }
        return table;
    }

    /// <summary>
    /// (H·W, dim) over a row-major H×W grid, I-JEPA's <c>get_2d_sincos_pos_embed</c>: the first dim/2 channels encode the
    /// column, the last dim/2 the row (its meshgrid puts w first).
    /// </summary>
    public static float[] TwoD(int dim, int height, int width)
    {
        if (dim % 4 != 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "2-D sin-cos table: width must be a multiple of 4");
        var (columns, rows) = Coordinates(1, height, width);
        return Concat(height * width, OneD(dim / 2, columns.x), OneD(dim / 2, rows));
    }

    /// <summary>
    /// (T·H·W, dim) over a frame-major T×H×W grid: <c>[time (dim − 2·dh) | row (dh) | column (dh)]</c>, dh = 2·⌊dim/6⌋,
    /// so each spatial axis gets about a third of the channels and time the rest.
    /// </summary>
    public static float[] ThreeD(int dim, int frames, int height, int width)
    {
        int dh = 2 * (dim / 6);
        if (dim % 2 != 0 || dh == 0) throw new ArgumentOutOfRangeException(nameof(dim), dim, "3-D sin-cos table: width must be even and at least 6");
        var ((x, t), y) = Coordinates(frames, height, width);
        return Concat(frames * height * width, OneD(dim - 2 * dh, t), OneD(dh, y), OneD(dh, x));
    }

    // per token of a frame-major T×H×W grid: its column, frame and row
    static ((double[] x, double[] t), double[] y) Coordinates(int frames, int height, int width)
    {
        int n = frames * height * width;
        var (x, y, t) = (new double[n], new double[n], new double[n]);
        for (int i = 0; i < n; i++) (t[i], y[i], x[i]) = (i / (height * width), i / width % height, i % width);
        return ((x, t), y);
    }

    static float[] Concat(int rows, params double[][] parts)
    {
        int dim = parts.Sum(p => p.Length / rows);
        var table = new float[rows * dim];
        for (int r = 0; r < rows; r++)
        {
            int c = 0;
            foreach (var part in parts)
            {
                int w = part.Length / rows;
                for (int i = 0; i < w; i++) table[r * dim + c + i] = (float)part[r * w + i];
                c += w;
            }
        }
        return table;
    }
}
