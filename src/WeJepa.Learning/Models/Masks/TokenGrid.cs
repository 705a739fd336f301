namespace WeJepa.Learning.Models.Masks;

/// <summary>
/// The token grid a mask is drawn on: <see cref="Frames"/> × <see cref="Height"/> × <see cref="Width"/> tokens,
/// indexed frame-major then row-major (<c>(t·H + y)·W + x</c>), the order in which the patch and tubelet
/// embeddings emit tokens. An image is one frame.
/// </summary>
public readonly record struct TokenGrid
{
    public int Frames { get; }
    public int Height { get; }
    public int Width { get; }

    public TokenGrid(int frames, int height, int width)
    {
        if (frames < 1) throw new ArgumentOutOfRangeException(nameof(frames), frames, "token grid: frames must be at least 1");
        if (height < 1) throw new ArgumentOutOfRangeException(nameof(height), height, "token grid: height must be at least 1");
        if (width < 1) throw new ArgumentOutOfRangeException(nameof(width), width, "token grid: width must be at least 1");
        (Frames, Height, Width) = (frames, height, width);
    }

    /// <summary>An image's grid: one frame of height × width patches.</summary>
    public static TokenGrid Image(int height, int width) => new(1, height, width);

    public int Count => Frames * Height * Width;

    public int Index(int t, int y, int x) => (t * Height + y) * Width + x;
}
