namespace WeJepa.Simulation.Rendering;

/// <summary>
/// A counter-based random number generator: every number is a pure function of integer keys
/// (seed, stream, env, frame, element), so <c>shaders/render.comp</c> and this C# code draw exactly the
/// same bits without any shared state. Integer arithmetic wraps identically in GLSL and C#; the float
/// conversions below are exact, so uniforms agree bit for bit (Gaussians to within libm rounding).
/// It serves the per-pixel sensor noise, which is drawn on the device; per-environment draws on the
/// host use the scene's SplitMix64 streams (<c>WeJepa.Core.Rng.SceneRandom</c>).
/// </summary>
public static class CounterRng
{
    /// <summary>Stream key of the per-pixel sensor noise (the value of <c>RngStream.SensorNoise</c>).</summary>
    public const uint NoiseStream = 4u;

    /// <summary>PCG-style 32-bit permutation (Jarzynski &amp; Olano 2020, "Hash Functions for GPU Rendering").</summary>
    public static uint Permute(uint v)
    {
        uint state = unchecked(v * 747796405u + 2891336453u);
        uint word = unchecked(((state >> (int)((state >> 28) + 4u)) ^ state) * 277803737u);
        return (word >> 22) ^ word;
    }

    /// <summary>Hash of the keys, chained so each key changes every output bit (render.comp computes the chain up to
    /// <paramref name="frame"/> once per invocation and finishes it per element).</summary>
    public static uint Hash(ulong seed, uint stream, uint env, uint frame, uint element)
    {
        uint h = Permute((uint)seed);
        h = Permute(h ^ (uint)(seed >> 32));
        h = Permute(h ^ stream);
        h = Permute(h ^ env);
        h = Permute(h ^ frame);
        return Permute(h ^ element);
    }

    /// <summary>Uniform in the open interval (0, 1): the top 24 bits, centred in their bucket (exact in float).</summary>
    public static float Uniform(uint bits) => (bits >> 8) * (1f / 16777216f) + (0.5f / 16777216f);

    /// <summary>Standard normal by Box–Muller from two hashes of consecutive elements 2k and 2k+1.</summary>
    public static float Gaussian(ulong seed, uint stream, uint env, uint frame, uint element)
    {
        float u1 = Uniform(Hash(seed, stream, env, frame, 2u * element));
        float u2 = Uniform(Hash(seed, stream, env, frame, 2u * element + 1u));
        return MathF.Sqrt(-2f * MathF.Log(u1)) * MathF.Cos(6.28318530718f * u2);
    }
}
