using System.Text.Json;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;

namespace WeJepa.Simulation.Reference;

/// <summary>
/// Writes a simulated batch as <c>states.npy</c> (float32, (N, T+1, S)), <c>energy.npy</c> (float32,
/// (N, T+1), total energy), <c>meta.json</c> (scene, seed, dt, integrator, shapes, state names) and a copy
/// of the scene file. The bytes depend only on the scene and the trajectory (no timestamps), so the same
/// seed gives byte-identical files.
/// </summary>
public static class TrajectoryFiles
{
    /// <summary>The files <see cref="Write"/> puts in its folder.</summary>
    public static readonly string[] Names = ["states.npy", "energy.npy", "meta.json", "scene.yaml"];

    /// <summary>
    /// Bytes of memory a run of <paramref name="envs"/> × (<paramref name="steps"/> + 1) frames of
    /// <paramref name="stateSize"/> values needs: the double-precision states, kinetic and potential energy.
    /// </summary>
    public static long MemoryBytes(long envs, long steps, int stateSize) => envs * (steps + 1) * (8L * stateSize + 16);

    public static void Write(AtomicDirectory dir, Scene scene, string sceneYaml, Trajectory t)
    {
        int[] stateShape = [t.Envs, t.Frames, t.StateSize], energyShape = [t.Envs, t.Frames];
        // Streamed and narrowed chunk by chunk: no float32 or total-energy copy of the whole batch in memory.
        Npy.WriteFloat32(dir.FilePath("states.npy"), stateShape, (start, chunk) =>
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (float)t.States[start + i];
        });
        Npy.WriteFloat32(dir.FilePath("energy.npy"), energyShape, (start, chunk) =>
        {
            for (int i = 0; i < chunk.Length; i++) chunk[i] = (float)(t.Kinetic[start + i] + t.Potential[start + i]);
        });
        AtomicFile.WriteAllText(dir.FilePath("scene.yaml"), sceneYaml);
        AtomicFile.WriteAllBytes(dir.FilePath("meta.json"), Meta(scene, t, stateShape, energyShape));
    }

    private static byte[] Meta(Scene scene, Trajectory t, int[] stateShape, int[] energyShape)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var s = scene.Settings;
            json.WriteStartObject();
            json.WriteString("scene", s.Name);
            json.WriteString("scene_file", scene.Source);
            json.WriteNumber("seed", s.Seed);
            json.WriteNumber("dt", s.Dt);
            json.WriteString("integrator", SceneSettings.YamlName(s.Integrator));
            json.WriteString("system", scene.System is DoublePendulumComponent ? "DoublePendulum" : "Pendulum");
            json.WriteNumber("envs", t.Envs);
            json.WriteNumber("steps", t.Steps);
            json.WriteStartArray("state_names");
            foreach (var n in scene.System.StateNames) json.WriteStringValue(n);
            json.WriteEndArray();
            WriteArray(json, "states", "states.npy", "float32", stateShape, "(env, step, state): step k is at time k·dt");
            WriteArray(json, "energy", "energy.npy", "float32", energyShape, "(env, step): total mechanical energy T + V in joules, V = 0 hanging at rest");
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, string file, string dtype, int[] shape, string layout)
    {
        json.WriteStartObject(name);
        json.WriteString("file", file);
        json.WriteString("dtype", dtype);
        json.WriteStartArray("shape");
        foreach (var d in shape) json.WriteNumberValue(d);
        json.WriteEndArray();
        json.WriteString("layout", layout);
        json.WriteEndObject();
    }
}
