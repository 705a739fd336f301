using WeJepa.Core.Rng;
using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Rendering;

/// <summary>
/// Per-environment appearance parameters, drawn on the host and uploaded to the shader:
/// <c>(E, 16)</c> floats per environment = background, rod, bob, pivot colours (4 × RGB), the length
/// scale, then 3 floats of padding (a 64-byte record the shader reads as four vec4s).
/// </summary>
public static class EnvLooks
{
    public const int FloatsPerEnv = 16;
    public const int LengthScaleIndex = 12;

    /// <summary>
    /// Draws the looks of environments <paramref name="firstEnv"/> .. + lengthScales.Length. The colour
    /// offsets, uniform in [−jitter, jitter] per channel (then clamped to [0, 1]), come from the scene's
    /// per-env stream <see cref="RngStream.Render"/> (12 uniforms: background, rod, bob, pivot × RGB),
    /// so a shard or a resumed run gets the same looks for the same episode. The length scales come
    /// from the physics' per-env draw (Randomization.length_scale scales physics and picture alike).
    /// </summary>
    public static float[] Draw(RenderSpec spec, int firstEnv, ReadOnlySpan<float> lengthScales)
    {
        int count = lengthScales.Length;
        var looks = new float[count * FloatsPerEnv];
        ReadOnlySpan<Rgb> bases = [spec.Background, spec.RodColor, spec.BobColor, spec.PivotColor];
        for (int e = 0; e < count; e++)
        {
            var rng = SceneRandom.ForEnv(spec.Seed, firstEnv + e, RngStream.Render);
            var look = looks.AsSpan(e * FloatsPerEnv, FloatsPerEnv);
            for (int c = 0; c < 4; c++)
            {
                ReadOnlySpan<float> rgb = [(float)bases[c].R, (float)bases[c].G, (float)bases[c].B];
                for (int ch = 0; ch < 3; ch++)
                {
                    float offset = (float)(spec.ColorJitter * (2.0 * rng.NextDouble() - 1.0));
                    look[3 * c + ch] = Math.Clamp(rgb[ch] + offset, 0f, 1f);
                }
            }
            look[LengthScaleIndex] = lengthScales[e];
        }
        return looks;
    }

    /// <summary>Looks with every length scale 1 (no length randomisation).</summary>
    public static float[] Draw(RenderSpec spec, int firstEnv, int count) =>
        Draw(spec, firstEnv, Enumerable.Repeat(1f, count).ToArray());
}
