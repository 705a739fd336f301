namespace WeJepa.Simulation.Rendering;

/// <summary>
/// The plain C# renderer: the specification <c>shaders/render.comp</c> is tested against. Float
/// arithmetic in the same order as the shader. Per pixel: background, then the rods (union of the
/// links' capsules), the bobs (union of discs), the pivot on top, each blended by its SDF coverage;
/// then sensor noise, clamped to [0, 1].
/// </summary>
public static class ReferenceRenderer
{
    /// <summary>
    /// Renders frames <paramref name="firstFrame"/> .. + frames.Length / (3·H·W) of a batch whose states
    /// are (N, S) and looks (N / FramesPerEnv, 16), into <paramref name="frames"/> (n, 3, H, W).
    /// </summary>
    public static void Render(RenderSpec spec, ReadOnlySpan<float> states, ReadOnlySpan<float> looks,
        FrameIndexing indexing, int firstFrame, Span<float> frames)
    {
        indexing.Validate();
        int s = spec.StateSize, n = frames.Length / spec.FrameFloats;
        if (frames.Length != n * spec.FrameFloats) throw new ArgumentException($"frames length {frames.Length} is not a multiple of 3*H*W = {spec.FrameFloats}");
        if (firstFrame < 0 || (firstFrame + n) * s > states.Length) throw new ArgumentException($"frames {firstFrame}..{firstFrame + n} exceed the {states.Length / s} states");
        if (indexing.LocalEnv(firstFrame + n - 1) >= looks.Length / EnvLooks.FloatsPerEnv) throw new ArgumentException("looks hold too few environments");
        for (int i = 0; i < n; i++)
        {
            int f = firstFrame + i;
            RenderFrame(spec, states.Slice(f * s, s), looks.Slice(indexing.LocalEnv(f) * EnvLooks.FloatsPerEnv, EnvLooks.FloatsPerEnv),
                indexing.GlobalEnv(f), indexing.Time(f), frames.Slice(i * spec.FrameFloats, spec.FrameFloats));
        }
    }

    /// <summary>Renders one frame (3, H, W) of the system in <paramref name="state"/>.</summary>
    public static void RenderFrame(RenderSpec spec, ReadOnlySpan<float> state, ReadOnlySpan<float> look,
        uint env, uint time, Span<float> frame)
    {
        var g = FrameGeometry.Of(spec, state, look[EnvLooks.LengthScaleIndex]);
        int w = spec.Width, h = spec.Height, plane = w * h;
        float pixel = spec.Scale / w, invPixel = w / spec.Scale;
        float link2X = g.X2 - g.X1, link2Y = g.Y2 - g.Y1;
        float inv1 = Sdf.InverseLength2(g.X1, g.Y1), inv2 = Sdf.InverseLength2(link2X, link2Y);
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            // Pixel centre in world units; image row 0 is the top (largest y).
            float px = spec.CenterX + ((x + 0.5f) - 0.5f * w) * pixel;
            float py = spec.CenterY - ((y + 0.5f) - 0.5f * h) * pixel;
            float rod = Sdf.Segment(px, py, 0f, 0f, g.X1, g.Y1, inv1);
            float bob = Sdf.Point(px, py, g.X1, g.Y1);
            if (spec.Links == 2)
            {
                rod = MathF.Min(rod, Sdf.Segment(px, py, g.X1, g.Y1, link2X, link2Y, inv2));
                bob = MathF.Min(bob, Sdf.Point(px, py, g.X2, g.Y2));
            }
            float aRod = Sdf.Coverage(rod - 0.5f * spec.RodWidth, invPixel);
            float aBob = Sdf.Coverage(bob - spec.BobRadius, invPixel);
            float aPivot = Sdf.Coverage(Sdf.Point(px, py, 0f, 0f) - spec.PivotRadius, invPixel);
            int p = y * w + x;
            for (int c = 0; c < 3; c++)
            {
                float v = look[c];
                v = Sdf.Mix(v, look[3 + c], aRod);
                v = Sdf.Mix(v, look[6 + c], aBob);
                v = Sdf.Mix(v, look[9 + c], aPivot);
                if (spec.NoiseStddev > 0f)
                    v = Math.Clamp(v + spec.NoiseStddev * CounterRng.Gaussian(spec.Seed, CounterRng.NoiseStream, env, time, (uint)(3 * p + c)), 0f, 1f);
                frame[c * plane + p] = v;
            }
        }
    }

    /// <summary>float [0, 1] → uint8, round to nearest: <c>floor(v·255 + 0.5)</c>, as the shader writes it.</summary>
    public static byte Quantize(float v) => (byte)(Math.Clamp(v, 0f, 1f) * 255f + 0.5f);

    public static void Quantize(ReadOnlySpan<float> values, Span<byte> bytes)
    {
        for (int i = 0; i < values.Length; i++) bytes[i] = Quantize(values[i]);
    }
}

/// <summary>World positions of the bobs (pivot at the origin): bob i = previous + L_i·scale·(sin θi, −cos θi).</summary>
public readonly record struct FrameGeometry(float X1, float Y1, float X2, float Y2)
{
    public static FrameGeometry Of(RenderSpec spec, ReadOnlySpan<float> state, float lengthScale)
    {
        float l1 = spec.Length1 * lengthScale;
        float x1 = l1 * MathF.Sin(state[0]), y1 = -l1 * MathF.Cos(state[0]);
        if (spec.Links == 1) return new FrameGeometry(x1, y1, x1, y1);
        float l2 = spec.Length2 * lengthScale;
        return new FrameGeometry(x1, y1, x1 + l2 * MathF.Sin(state[1]), y1 - l2 * MathF.Cos(state[1]));
    }
}
