using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Encodings.Web;
using WeJepa.App.Terminal;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Reports;
using WeJepa.Simulation.Reference;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa demo</c>: simulates a scene (default: the embedded <c>scenes/pendulum.yaml</c>) with the
/// reference physics and writes a report folder: the trajectory files of <c>simulate</c>, <c>energy.png</c>,
/// <c>theta.png</c> and <c>metrics.json</c>.
/// </summary>
public sealed class DemoCommand : ICliCommand
{
    public const string DefaultOut = "runs/demo";

    /// <summary>The files a report folder holds (an existing folder with anything else is not replaced).</summary>
    private static readonly string[] ReportFiles = [.. TrajectoryFiles.Names, "energy.png", "theta.png", "metrics.json"];

    public Command Build()
    {
        var run = new ReferenceRunOptions(new Option<string?>("--scene") { Description = "Scene file (.yaml); default: the built-in scenes/pendulum.yaml" });
        var output = new Option<string>("--out") { Description = "Report folder (replaced when it holds only an earlier report; refused when it holds anything else)", DefaultValueFactory = _ => DefaultOut };
        var command = new Command("demo",
            $"Simulate a scene with the reference physics and write a report folder (default {DefaultOut}/): " +
            "states.npy, energy.npy, meta.json, scene.yaml, energy.png, theta.png, metrics.json");
        run.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var (s, yaml) = run.Resolve(parse);
            var outDir = parse.GetValue(output)!;
            OutputTarget.CheckFolder("--out", outDir, [run.ScenePath(parse)], ReportFiles);
            System.Console.WriteLine($"demo: {s.Source}");
            System.Console.WriteLine(SceneCommand.Describe(s));
            var clock = Stopwatch.StartNew();
            var trajectory = ReferenceRunOptions.Simulate(s);
            var seconds = clock.Elapsed.TotalSeconds;
            var metrics = TrajectoryMetrics.Of(trajectory);
            using (var dir = new AtomicDirectory(outDir))
            {
                TrajectoryFiles.Write(dir, s, yaml, trajectory);
                EnergyPlot(s, trajectory).SavePng(dir.FilePath("energy.png"));
                AnglePlot(s, trajectory).SavePng(dir.FilePath("theta.png"));
                AtomicFile.WriteAllBytes(dir.FilePath("metrics.json"), MetricsJson(s, trajectory, metrics));
                dir.Commit();
            }
            var stepsPerSecond = (double)trajectory.Envs * trajectory.Steps / Math.Max(seconds, 1e-9);
            System.Console.WriteLine($"simulated {trajectory.Envs} × {trajectory.Steps} steps in {seconds:F3} s ({stepsPerSecond:E2} env-steps/s)");
            System.Console.WriteLine($"energy: max |ΔE/E0| = {metrics.MaxRelativeEnergyError:E3}, mean final ΔE/E0 = {metrics.MeanFinalRelativeEnergyChange:E3}");
            System.Console.WriteLine($"wrote {outDir}/: states.npy energy.npy meta.json scene.yaml energy.png theta.png metrics.json");
            return 0;
        });
        return command;
    }

    private static double[] Times(Trajectory t) => Enumerable.Range(0, t.Frames).Select(k => k * t.Dt).ToArray();

    /// <summary>Kinetic, potential and total energy of environment 0 over time.</summary>
    private static Chart EnergyPlot(Scene scene, Trajectory t)
    {
        var time = Times(t);
        return new Chart($"Energy of env 0 ({scene.Settings.Name}, {SceneSettings.YamlName(scene.Settings.Integrator)}, dt {scene.Settings.Dt} s)", "time (s)", "energy (J)")
            .Line("kinetic", time, t.Kinetic[..t.Frames])
            .Line("potential", time, t.Potential[..t.Frames])
            .Line("total", time, t.Total[..t.Frames], Rgb8.Black);
    }

    /// <summary>The first angle (θ, or θ1 for the double pendulum) of up to four environments.</summary>
    private static Chart AnglePlot(Scene scene, Trajectory t)
    {
        var name = scene.System is DoublePendulumComponent ? "θ1" : "θ";
        var time = Times(t);
        var chart = new Chart($"{name}(t) of {Math.Min(4, t.Envs)} environments ({scene.Settings.Name})", "time (s)", $"{name} (rad)");
        for (var env = 0; env < Math.Min(4, t.Envs); env++) chart.Line($"env {env}", time, t.Series(env, 0));
        return chart;
    }

    private static byte[] MetricsJson(Scene scene, Trajectory t, TrajectoryMetrics m)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("scene", scene.Settings.Name);
            json.WriteString("integrator", SceneSettings.YamlName(scene.Settings.Integrator));
            json.WriteNumber("dt", scene.Settings.Dt);
            json.WriteNumber("envs", t.Envs);
            json.WriteNumber("steps", t.Steps);
            json.WriteNumber("duration_s", t.Steps * t.Dt);
            json.WriteNumber("max_abs_relative_energy_error", m.MaxRelativeEnergyError);
            json.WriteNumber("mean_final_relative_energy_change", m.MeanFinalRelativeEnergyChange);
            json.WriteStartArray("per_env");
            foreach (var e in m.Envs)
            {
                json.WriteStartObject();
                json.WriteNumber("env", e.Env);
                json.WriteStartArray("initial_state");
                foreach (var v in e.InitialState) json.WriteNumberValue(v);
                json.WriteEndArray();
                json.WriteNumber("initial_energy", e.InitialEnergy);
                json.WriteNumber("final_relative_energy_change", e.FinalRelativeChange);
                json.WriteNumber("max_abs_relative_energy_error", e.MaxRelativeError);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
