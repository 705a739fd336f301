using System.Text.Json.Nodes;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Reference;

namespace WeJepa.Training.Data;

/// <summary>
/// Trajectories to learn dynamics from: states (N, T, 2d) = (q, v) and their time derivatives, row-major float32,
/// sampled every <see cref="Dt"/>. <see cref="Scene"/> is set when the states came from our simulator (their true
/// energy and reference physics are then known). <see cref="Canonical"/>: the second halves are canonical momenta
/// p = M(q)·v instead of velocities (<see cref="CanonicalMomenta.Of"/>).
/// </summary>
public sealed record TrajectorySet(int Trajectories, int Steps, int StateSize, double Dt, float[] States, float[] Derivatives,
    string DerivativeSource, Scene? Scene, bool Canonical = false)
{
    public int Degrees => StateSize / 2;

    /// <summary>
    /// Reads <paramref name="dir"/>: a <c>simulate</c> output (states.npy + scene.yaml), a <c>generate</c> dataset
    /// (states-NNNNN.npy shards, the scene inside meta.json) — both get exact derivatives from the scene's
    /// equations — or external trajectories: <c>states.npy</c> (N, T, 2d) float32/float64, optional
    /// <c>derivatives.npy</c> of the same shape, and <c>meta.json</c> with <c>dt</c>; without derivatives they
    /// come from <see cref="FiniteDifferences"/>. Every problem is one <see cref="UserError"/> naming file and value.
    /// </summary>
    public static TrajectorySet Load(string dir)
    {
        if (!Directory.Exists(dir)) throw new UserError($"{dir}: no such data folder");
        var metaPath = Path.Combine(dir, "meta.json");
        if (!File.Exists(metaPath)) throw new UserError($"{metaPath}: missing (the data folder needs meta.json with at least \"dt\")");
        JsonObject meta;
        try { meta = JsonNode.Parse(BoundedFile.ReadAllText(metaPath, 64 << 20, "data meta.json")) as JsonObject ?? throw new UserError($"{metaPath}: not a JSON object"); }
        catch (System.Text.Json.JsonException e) { throw new UserError($"{metaPath}: not valid JSON ({e.Message})"); }
        double dt = ReadDt(metaPath, meta);

        if (meta["format"]?.GetValue<string>() == Simulation.Datasets.DatasetMeta.Format)
        {
            var scene = SceneLoader.Parse(meta["scene"]?.GetValue<string>() ?? throw new UserError($"{metaPath}: no \"scene\""), metaPath);
            var shards = Directory.GetFiles(dir, "states-*.npy").Order(StringComparer.Ordinal).ToArray();
            if (shards.Length == 0) throw new UserError($"{dir}: a dataset with no states-NNNNN.npy shards");
            var arrays = shards.Select(p => (Path: p, Array: Npy.Read(p))).ToList();
            foreach (var (p, a) in arrays) CheckStates(p, a);
            var shape = arrays[0].Array.Shape;
            foreach (var (p, a) in arrays)
                if (a.Shape[1] != shape[1] || a.Shape[2] != shape[2]) throw new UserError($"{p}: shape ({string.Join(", ", a.Shape)}) differs from the first shard's");
            var states = arrays.SelectMany(a => Float32(a.Array)).ToArray();
            return FromScene(scene, states, arrays.Sum(a => a.Array.Shape[0]), shape[1], shape[2], dt);
        }

        var statesPath = Path.Combine(dir, "states.npy");
        var npy = Npy.Read(statesPath);
        CheckStates(statesPath, npy);
        var (n, t, s) = (npy.Shape[0], npy.Shape[1], npy.Shape[2]);
        var values = Float32(npy);
        var scenePath = Path.Combine(dir, "scene.yaml");
        if (File.Exists(scenePath) && !File.Exists(Path.Combine(dir, "derivatives.npy")))
        {
            var scene = SceneLoader.Load(scenePath);
            // simulate --seed overrides the file's seed; the rods' random scales follow the seed that ran
            if (meta["seed"] is JsonValue seedValue && seedValue.TryGetValue<ulong>(out var seed))
                scene = scene with { Settings = scene.Settings with { Seed = seed } };
            if (scene.StateSize != s) throw new UserError($"{statesPath}: states of size {s}, but {scenePath} describes states of size {scene.StateSize}");
            return FromScene(scene, values, n, t, s, dt);
        }
        var derivativesPath = Path.Combine(dir, "derivatives.npy");
        if (!File.Exists(derivativesPath))
            return new TrajectorySet(n, t, s, dt, values, FiniteDifferences(values, n, t, s, dt), "finite differences (second order)", null);
        var d = Npy.Read(derivativesPath);
        if (!d.Shape.SequenceEqual(npy.Shape))
            throw new UserError($"{derivativesPath}: shape ({string.Join(", ", d.Shape)}) does not match states.npy ({string.Join(", ", npy.Shape)})");
        var derivatives = Float32(d);
        CheckFinite(derivativesPath, derivatives, s, t);
        return new TrajectorySet(n, t, s, dt, values, derivatives, "derivatives.npy", null);
    }

    /// <summary>
    /// dx/dt by central differences (y[k+1] − y[k−1]) / 2dt inside each trajectory and the second-order one-sided
    /// formulas (∓3y₀ ± 4y₁ ∓ y₂) / 2dt at its two ends: error O(dt²) everywhere. Needs T ≥ 3.
    /// </summary>
    public static float[] FiniteDifferences(float[] states, int n, int t, int s, double dt)
    {
        var result = new float[states.Length];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < s; c++)
            {
                double Y(int k) => states[((long)i * t + k) * s + c];
                for (int k = 0; k < t; k++)
                {
                    double v = k == 0 ? (-3 * Y(0) + 4 * Y(1) - Y(2)) / (2 * dt)
                        : k == t - 1 ? (3 * Y(t - 1) - 4 * Y(t - 2) + Y(t - 3)) / (2 * dt)
                        : (Y(k + 1) - Y(k - 1)) / (2 * dt);
                    result[((long)i * t + k) * s + c] = (float)v;
                }
            }
        return result;
    }

    /// <summary>A reference simulation of <paramref name="scene"/> with its exact derivatives.</summary>
    public static TrajectorySet FromTrajectory(Scene scene, Trajectory t) =>
        FromScene(scene, Array.ConvertAll(t.States, v => (float)v), t.Envs, t.Frames, t.StateSize, t.Dt);

    /// <summary>Exact derivatives (v, a(q, v, t)) from each environment's reference dynamics (its own rod scale).</summary>
    static TrajectorySet FromScene(Scene scene, float[] states, int n, int t, int s, double dt)
    {
        if (scene.StateSize != s) throw new UserError($"{scene.Source}: states of size {s} do not match the scene's {scene.StateSize}");
        var derivatives = new float[states.Length];
        int d = s / 2;
        Parallel.For(0, n, env =>
        {
            var system = Environments.Dynamics(scene, env);
            Span<double> q = stackalloc double[d], v = stackalloc double[d], a = stackalloc double[d];
            for (int k = 0; k < t; k++)
            {
                long at = ((long)env * t + k) * s;
                for (int j = 0; j < d; j++) (q[j], v[j]) = (states[at + j], states[at + d + j]);
                system.Accelerations(q, v, k * dt, a);
                for (int j = 0; j < d; j++) (derivatives[at + j], derivatives[at + d + j]) = ((float)v[j], (float)a[j]);
            }
        });
        return new TrajectorySet(n, t, s, dt, states, derivatives, $"exact, from the equations of {scene.Source}", scene);
    }

    static double ReadDt(string metaPath, JsonObject meta)
    {
        if (meta["dt"] is not JsonValue value || !value.TryGetValue<double>(out var dt))
            throw new UserError($"{metaPath}: \"dt\" is missing or not a number (the sampling interval of the states, in seconds)");
        if (!(dt > 0) || !double.IsFinite(dt)) throw new UserError($"{metaPath}: \"dt\" = {dt} must be a positive finite number");
        return dt;
    }

    static void CheckStates(string path, NpyArray a)
    {
        if (a.Shape.Length != 3) throw new UserError($"{path}: expected states of rank 3 (N, T, 2d), got shape ({string.Join(", ", a.Shape)})");
        var (n, t, s) = (a.Shape[0], a.Shape[1], a.Shape[2]);
        if (n < 1) throw new UserError($"{path}: no trajectories (N = 0)");
        if (t < 3) throw new UserError($"{path}: T = {t} samples per trajectory; at least 3 are needed");
        if (s < 2 || s % 2 != 0) throw new UserError($"{path}: the last dimension {s} must be 2d = (q, v) with d >= 1");
        if (a.Dtype is not ("<f4" or "<f8")) throw new UserError($"{path}: dtype {a.Dtype}; expected float32 or float64");
        CheckFinite(path, Float32(a), s, t);
    }

    static void CheckFinite(string path, float[] values, int s, int t)
    {
        for (long i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new UserError($"{path}: non-finite value {values[i]} at (trajectory {i / s / t}, step {i / s % t}, coordinate {i % s})");
    }

    static float[] Float32(NpyArray a) => a.Data switch
    {
        float[] f => f,
        double[] d => Array.ConvertAll(d, x => (float)x),
        _ => throw new UserError($"dtype {a.Dtype}; expected float32 or float64"),
    };
}
