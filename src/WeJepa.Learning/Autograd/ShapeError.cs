namespace WeJepa.Learning;

/// <summary>An op was given shapes it cannot combine. Thrown on the host before any kernel launches.</summary>
public sealed class ShapeError(string message) : ArgumentException(message);

/// <summary>Shape arithmetic shared by the ops.</summary>
public static class Shapes
{
    public static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    public static int Product(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (var d in shape) n *= d;
        return checked((int)n);
    }

    public static bool Equal(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);

    /// <summary>Normalises a possibly negative axis (−1 = last) and checks its range, naming the op.</summary>
    public static int Axis(string op, int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ShapeError($"{op}: axis {axis} is out of range for rank {rank}");
        return a;
    }

    /// <summary>NumPy broadcasting of two shapes; the error names the op and both shapes.</summary>
    public static int[] Broadcast(string op, int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ShapeError($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }
}
