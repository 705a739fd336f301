using WeJepa.Simulation.Rendering;

namespace WeJepa.Viewer.Composition;

/// <summary>
/// The part of each tile a frame must redraw: where the pendulum is now joined with where it was drawn last
/// (everything else is background in both frames, and stays in the composed image from earlier frames). Boxes
/// are in tile pixels, x on multiples of 4 (render.comp and compose.comp work in quads of 4 pixels).
/// </summary>
public sealed class ChangedRegions
{
    /// <summary>Pixels beyond a shape's edge that anti-aliasing can still touch (½ pixel), with room for rounding.</summary>
    private const float MarginPixels = 2;
    private Box[]? drawn;

    /// <summary>A tile-pixel rectangle [X0, X1) × [Y0, Y1).</summary>
    public readonly record struct Box(int X0, int Y0, int X1, int Y1)
    {
        public int Width => X1 - X0;
        public int Height => Y1 - Y0;
        public Box Union(Box o) => new(Math.Min(X0, o.X0), Math.Min(Y0, o.Y0), Math.Max(X1, o.X1), Math.Max(Y1, o.Y1));
    }

    /// <summary>Forgets what was drawn: the next frame is a full redraw (a new layout, text over the tiles changed).</summary>
    public void Invalidate() => drawn = null;

    /// <summary>Whether the next frame may redraw only the changed boxes (false until a full frame was drawn).</summary>
    public bool Known => drawn is not null;

    /// <summary>Records that a full frame showed these states.</summary>
    public void DrewAll(RenderSpec tile, ReadOnlySpan<float> states, ReadOnlySpan<float> lengthScales) =>
        drawn = Boxes(tile, states, lengthScales);

    /// <summary>
    /// The boxes to redraw for <paramref name="states"/> ((2K, S): K true then K learned), the union of the new and
    /// the last drawn boxes, and remembers the new ones as drawn.
    /// </summary>
    public Box[] Next(RenderSpec tile, ReadOnlySpan<float> states, ReadOnlySpan<float> lengthScales)
    {
        var now = Boxes(tile, states, lengthScales);
        var last = drawn ?? throw new InvalidOperationException("no full frame drawn yet");
        drawn = now;
        return [.. now.Select((b, t) => b.Union(last[t]))];
    }

    private static Box[] Boxes(RenderSpec tile, ReadOnlySpan<float> states, ReadOnlySpan<float> lengthScales)
    {
        var s = tile.StateSize;
        var boxes = new Box[states.Length / s];
        for (var t = 0; t < boxes.Length; t++) boxes[t] = Of(tile, states.Slice(t * s, s), lengthScales[t % lengthScales.Length]);
        return boxes;
    }

    /// <summary>The box of one pendulum drawn by <paramref name="tile"/>'s camera (the whole tile when its state is not finite).</summary>
    public static Box Of(RenderSpec tile, ReadOnlySpan<float> state, float lengthScale)
    {
        var all = new Box(0, 0, tile.Width, tile.Height);
        float t1 = state[0], l1 = tile.Length1 * lengthScale;
        float x1 = l1 * MathF.Sin(t1), y1 = -l1 * MathF.Cos(t1), x2 = x1, y2 = y1;
        if (tile.Links == 2)
        {
            float l2 = tile.Length2 * lengthScale;
            (x2, y2) = (x1 + l2 * MathF.Sin(state[1]), y1 - l2 * MathF.Cos(state[1]));
        }
        var pixel = tile.Scale / tile.Width;
        var reach = Math.Max(Math.Max(tile.BobRadius, tile.PivotRadius), 0.5f * tile.RodWidth) + MarginPixels * pixel;
        float left = Math.Min(0, Math.Min(x1, x2)) - reach, right = Math.Max(0, Math.Max(x1, x2)) + reach;
        float bottom = Math.Min(0, Math.Min(y1, y2)) - reach, top = Math.Max(0, Math.Max(y1, y2)) + reach;
        if (!float.IsFinite(left + right + bottom + top)) return all;
        // World x right, y up → tile pixels x right, y down, as render.comp places pixel centres.
        double Px(float wx) => (wx - tile.CenterX) / pixel + 0.5 * tile.Width;
        double Py(float wy) => (tile.CenterY - wy) / pixel + 0.5 * tile.Height;
        int X(double v) => (int)Math.Clamp(v, 0, tile.Width);
        int Y(double v) => (int)Math.Clamp(v, 0, tile.Height);
        var box = new Box(X(Math.Floor(Px(left) / 4) * 4), Y(Math.Floor(Py(top))), X(Math.Ceiling(Px(right) / 4) * 4), Y(Math.Ceiling(Py(bottom))));
        return box.Width > 0 && box.Height > 0 ? box : new Box(0, 0, 4, 1);   // out of view: a token quad
    }
}
