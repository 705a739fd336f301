using WeJepa.Core.Scenes;
using WeJepa.Simulation.Datasets;

namespace WeJepa.Simulation.Tests.Datasets;

/// <summary>A tiny scene and temporary folders for dataset tests.</summary>
internal static class DatasetFixture
{
    public const string SmallSceneYaml = """
        scene:
          name: small
          seed: 7
          dt: 0.02
          steps: 12
          envs: 5
        objects:
          - name: pendulum
            components:
              Pendulum: { length: 1.0, mass: 1.0, gravity: 9.81 }
              InitialState: { theta: { uniform: [-2.0, 2.0] }, omega: { uniform: [-1.0, 1.0] } }
          - name: camera
            components:
              Camera: { width: 16, height: 12, scale: 2.8 }
              Appearance: { rod_width: 0.08, bob_radius: 0.2, pivot_radius: 0.1 }
              Randomization: { color_jitter: 0.05, length_scale: [0.9, 1.1] }
              SensorNoise: { stddev: 0.01 }
        """;

    public static DatasetPlan Plan(int episodes = 5, int steps = 12, int shardEpisodes = 2, ulong? seed = null)
    {
        var scene = SceneLoader.Parse(SmallSceneYaml, "small.yaml").With(seed: seed);
        return new DatasetPlan(SmallSceneYaml, scene, episodes, steps, shardEpisodes);
    }

    public static string TempFolder()
    {
        var dir = Path.Combine(Path.GetTempPath(), "wejepa-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Every file of a folder (hidden ones included) with its bytes, by name.</summary>
    public static SortedDictionary<string, byte[]> Snapshot(string folder) =>
        new(Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes), StringComparer.Ordinal);
}
