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
    public static void Write(AtomicDirectory dir, Scene scene, string sceneYaml, Trajectory t)
    {
        int[] stateShape = [t.Envs, t.Frames, t.StateSize], energyShape = [t.Envs, t.Frames];
        Npy.Write(dir.FilePath("states.npy"), Trajectory.ToFloat32(t.States), stateShape);
        Npy.Write(dir.FilePath("energy.npy"), Trajectory.ToFloat32(t.Total), energyShape);
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
