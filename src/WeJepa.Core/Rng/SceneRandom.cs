namespace WeJepa.Core.Rng;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", 2014): the one
/// PRNG of the project. State advances by the golden gamma; each output is the state passed through
/// <see cref="Mix"/>. Small, fast, passes BigCrush, and trivially portable to shaders and Python.
/// </summary>
public struct SplitMix64(ulong state)
{
    public const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private ulong _state = state;

    public ulong NextUInt64() => Mix(_state += Gamma);

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box–Muller (uses two uniforms per call; the second value is discarded).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble(); // (0, 1]: log stays finite
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>The SplitMix64 output function (a bijective 64-bit finaliser).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>What a random stream is used for; each (seed, env, purpose) gets an independent stream.</summary>
public enum RngStream : ulong
{
    /// <summary>Initial state: one uniform per state coordinate, in state order (drawn even for fixed values).</summary>
    InitialState = 1,
    /// <summary>Physical domain randomisation: one uniform for the rod-length scale.</summary>
    Randomization = 2,
    /// <summary>Rendering randomisation (colour jitter), owned by the renderer.</summary>
    Render = 3,
    /// <summary>Sensor noise on rendered pixels, owned by the renderer.</summary>
    SensorNoise = 4,
}

/// <summary>
/// Per-environment random streams of a scene. Environment <c>env</c>'s stream for a purpose starts at
/// state <c>Mix(Mix(seed) ^ ((env &lt;&lt; 8) | purpose))</c>, so env i's draws do not depend on how many
/// environments run, and the same seed gives the same bytes on every machine.
/// </summary>
public static class SceneRandom
{
    public static SplitMix64 ForEnv(ulong seed, int env, RngStream purpose)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(env);
        return new SplitMix64(SplitMix64.Mix(SplitMix64.Mix(seed) ^ (((ulong)env << 8) | (ulong)purpose)));
    }
}
