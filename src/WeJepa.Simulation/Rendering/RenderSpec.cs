using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Rendering;

/// <summary>
/// Everything the renderer needs to draw one pendulum system: camera, appearance, geometry and the
/// optional randomisation / sensor noise. Lengths and sizes are in world units (y up); the pivot sits
/// at the world origin, which the camera maps to <see cref="CenterX"/>, <see cref="CenterY"/>.
/// </summary>
public sealed record RenderSpec
{
    public required int Width { get; init; }
    public required int Height { get; init; }
    /// <summary>World units across the image width (pixels are square).</summary>
    public required float Scale { get; init; }
    public float CenterX { get; init; }
    public float CenterY { get; init; }

    public required Rgb Background { get; init; }
    public required Rgb RodColor { get; init; }
    public required Rgb BobColor { get; init; }
    public required Rgb PivotColor { get; init; }
    public required float RodWidth { get; init; }
    public required float BobRadius { get; init; }
    public required float PivotRadius { get; init; }

    /// <summary>1 for a simple pendulum (state θ, ω), 2 for a double pendulum (θ1, θ2, ω1, ω2).</summary>
    public required int Links { get; init; }
    public required float Length1 { get; init; }
    /// <summary>The second link's length; ignored when <see cref="Links"/> is 1.</summary>
    public float Length2 { get; init; }

    /// <summary>Half-width of the uniform per-channel colour offset drawn per environment.</summary>
    public float ColorJitter { get; init; }
    /// <summary>Standard deviation of the additive Gaussian noise on [0, 1] pixel values.</summary>
    public float NoiseStddev { get; init; }
    /// <summary>Seed of the per-environment draws and of the sensor noise.</summary>
    public ulong Seed { get; init; }

    public int StateSize => 2 * Links;
    /// <summary>Floats in one frame, (3, H, W).</summary>
    public int FrameFloats => 3 * Height * Width;
    /// <summary>World units per pixel.</summary>
    public float PixelSize => Scale / Width;

    /// <summary>The renderer's view of a scene: its Camera, Appearance, system geometry, Randomization and SensorNoise.</summary>
    public static RenderSpec FromScene(Scene scene)
    {
        var (camera, look) = (scene.Camera, scene.Appearance);
        var (links, l1, l2) = scene.System switch
        {
            PendulumComponent p => (1, p.Length, 0.0),
            DoublePendulumComponent d => (2, d.L1, d.L2),
            var other => throw new ArgumentException($"the renderer cannot draw a {other.GetType().Name}"),
        };
        var spec = new RenderSpec
        {
            Width = camera.Width, Height = camera.Height, Scale = (float)camera.Scale,
            CenterX = (float)camera.Center.X, CenterY = (float)camera.Center.Y,
            Background = look.Background, RodColor = look.RodColor, BobColor = look.BobColor, PivotColor = look.PivotColor,
            RodWidth = (float)look.RodWidth, BobRadius = (float)look.BobRadius, PivotRadius = (float)look.PivotRadius,
            Links = links, Length1 = (float)l1, Length2 = (float)l2,
            ColorJitter = (float)scene.Randomization.ColorJitter, NoiseStddev = (float)scene.SensorNoise.Stddev,
            Seed = scene.Settings.Seed,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>Checks the values the shader relies on; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        Require(Width >= 1 && Height >= 1, $"Camera width/height must be >= 1 (got {Width}x{Height})");
        Require(Width % 4 == 0, $"Camera.width must be a multiple of 4 (the renderer writes 4 pixels per 32-bit word; got {Width})");
        Require(Scale > 0 && float.IsFinite(Scale), $"Camera.scale must be > 0 (got {Scale})");
        Require(Links is 1 or 2, $"Links must be 1 or 2 (got {Links})");
        Require(RodWidth >= 0 && BobRadius >= 0 && PivotRadius >= 0, "Appearance sizes must be >= 0");
        Require(ColorJitter >= 0, $"Randomization.color_jitter must be >= 0 (got {ColorJitter})");
        Require(NoiseStddev >= 0, $"SensorNoise.stddev must be >= 0 (got {NoiseStddev})");
    }

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
