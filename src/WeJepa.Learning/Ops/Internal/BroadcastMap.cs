namespace WeJepa.Learning;

/// <summary>
/// Maps a linear index of a broadcast output to the linear indices of its (up to two) sources. Shapes are
/// first collapsed (adjacent dims with the same broadcast pattern merge), then padded to rank 4: out
/// dims D0..D3, source strides A0..A3 and B0..B3 (0 where the source is broadcast). Passed to kernels by value.
/// </summary>
public struct BroadcastMap
{
    public int D0, D1, D2, D3;
    public int A0, A1, A2, A3;
    public int B0, B1, B2, B3;

    public readonly int SourceA(int i)
    {
        int c3 = i % D3; int r = i / D3;
        int c2 = r % D2; r /= D2;
        int c1 = r % D1; int c0 = r / D1;
        return c0 * A0 + c1 * A1 + c2 * A2 + c3 * A3;
    }

    public readonly int SourceB(int i)
    {
        int c3 = i % D3; int r = i / D3;
        int c2 = r % D2; r /= D2;
        int c1 = r % D1; int c0 = r / D1;
        return c0 * B0 + c1 * B1 + c2 * B2 + c3 * B3;
    }

    /// <summary>Innermost dim length and the sources' strides along it (the host path iterates rows of it).</summary>
    public readonly (int length, int strideA, int strideB) Inner => (D3, A3, B3);

    /// <summary>Rows = product of the outer three dims; row r starts at these source offsets.</summary>
    public readonly (int a, int b) RowStart(int row)
    {
        int c2 = row % D2; int r = row / D2;
        int c1 = r % D1; int c0 = r / D1;
        return (c0 * A0 + c1 * A1 + c2 * A2, c0 * B0 + c1 * B1 + c2 * B2);
    }

    /// <summary>The map for sources of shapes <paramref name="a"/> and <paramref name="b"/> broadcast to <paramref name="output"/>.</summary>
    public static BroadcastMap Create(string op, int[] output, int[] a, int[] b)
    {
        int rank = output.Length;
        var dims = new List<int>();
        var sa = new List<int>();
        var sb = new List<int>();
        int strideA = 1, strideB = 1;
        // walk from the innermost dim outwards; a dim is (length, aBroadcast, bBroadcast)
        int lastPattern = -1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int d = output[i];
            if (d == 1) continue;
            int da = DimOf(a, i, rank), db = DimOf(b, i, rank);
            int pattern = (da == 1 ? 1 : 0) | (db == 1 ? 2 : 0);
            if (pattern == lastPattern)
            {
                dims[^1] *= d;
            }
            else
            {
                dims.Add(d);
                sa.Add(da == 1 ? 0 : strideA);
                sb.Add(db == 1 ? 0 : strideB);
                lastPattern = pattern;
            }
            if (da != 1) strideA *= da;
            if (db != 1) strideB *= db;
        }
        if (dims.Count > 4)
            throw new ShapeError($"{op}: broadcasting {Shapes.Format(a)} with {Shapes.Format(b)} needs {dims.Count} alternating groups of dims; at most 4 are supported");
        while (dims.Count < 4) { dims.Add(1); sa.Add(0); sb.Add(0); }
        // dims were collected innermost first
        return new BroadcastMap
        {
            D0 = dims[3], D1 = dims[2], D2 = dims[1], D3 = dims[0],
            A0 = sa[3], A1 = sa[2], A2 = sa[1], A3 = sa[0],
            B0 = sb[3], B1 = sb[2], B2 = sb[1], B3 = sb[0],
        };
    }

    static int DimOf(int[] shape, int outAxis, int outRank)
    {
        int k = outAxis - (outRank - shape.Length);
        return k >= 0 ? shape[k] : 1;
    }
}
