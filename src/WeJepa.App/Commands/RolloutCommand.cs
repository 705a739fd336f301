using System.CommandLine;
using System.Text.Json;
using WeJepa.App.Terminal;
using WeJepa.Core.Errors;
using WeJepa.Core.IO;
using WeJepa.Learning.Devices;
using WeJepa.Simulation.Reference;
using WeJepa.Training.Rollouts;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa rollout --checkpoint C --scene S [--initial F] [--envs N] [--steps T] [--dt DT] [--integrator rk4|leapfrog|midpoint] --out DIR</c>:
/// rolls a trained dynamics model out for a batch of initial states at once and writes it beside the reference physics
/// (all or nothing): states.npy, true_states.npy, metrics.json, theta.png, energy.png, phase.png, strip.png.
/// </summary>
public sealed class RolloutCommand : ICliCommand
{
    public Command Build()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A train dynamics run folder or its checkpoint.safetensors", Required = true };
        var scene = new Option<string?>("--scene") { Description = "Scene whose physics is the truth and whose environments give the initial states (default: the embedded pendulum)" };
        var initial = new Option<string?>("--initial") { Description = "Initial states (.npy, (B, 2d) float32/float64) instead of the scene's" };
        var envs = new Option<int>("--envs") { Description = "Trajectories from the scene's environments", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Steps to roll out", DefaultValueFactory = _ => 1000 };
        var dt = new Option<double?>("--dt") { Description = "Step (s); default: the scene's dt" };
        var integrator = new Option<string>("--integrator") { Description = "rk4 | leapfrog (HNN: symplectic for a separable H) | midpoint (implicit: symplectic for any H)",
            DefaultValueFactory = _ => "rk4" };
        integrator.AcceptOnlyFromAmong("rk4", "leapfrog", "midpoint");
        var output = new Option<string>("--out") { Description = "Output folder (replaced when it exists)", Required = true };
        var device = new Option<string>("--device") { Description = "auto | cpu | cuda", DefaultValueFactory = _ => "auto" };
        device.AcceptOnlyFromAmong(DeviceOption.Names);
        var command = new Command("rollout", "Roll a trained HNN / LNN / MLP out for many trajectories at once beside the reference physics; " +
                                             "writes states, metrics.json (MSE per horizon, energy drift) and charts")
        {
            checkpoint, scene, initial, envs, steps, dt, integrator, output, device,
        };
        command.SetAction(parse =>
        {
            var outDir = parse.GetValue(output)!;
            OutputTarget.CheckFolder("--out", outDir, [parse.GetValue(checkpoint), parse.GetValue(scene), parse.GetValue(initial)], OutputFiles);
            var (s, _) = SceneInput.Load(parse.GetValue(scene));
            int n = parse.GetValue(envs), t = parse.GetValue(steps);
            if (n < 1) throw new UserError($"--envs {n}: must be >= 1");
            if (t < 1) throw new UserError($"--steps {t}: must be >= 1");
            double step = parse.GetValue(dt) ?? s.Settings.Dt;
            if (!(step > 0) || !double.IsFinite(step)) throw new UserError($"--dt {step}: must be a positive number");
            var starts = parse.GetValue(initial) is { } path ? InitialStates(path, s.StateSize)
                : Enumerable.Range(0, n).SelectMany(e => Environments.InitialState(s, e)).Select(v => (float)v).ToArray();
            using var dev = DeviceOption.Open(parse.GetValue(device)!);
            using var model = DynamicsCheckpoint.Load(dev, parse.GetValue(checkpoint)!);
            var kind = parse.GetValue(integrator) switch { "leapfrog" => RolloutIntegrator.Leapfrog, "midpoint" => RolloutIntegrator.Midpoint, _ => RolloutIntegrator.Rk4 };
            if (kind == RolloutIntegrator.Leapfrog && !model.SupportsLeapfrog)
                throw new UserError($"--integrator leapfrog needs an HNN; this checkpoint holds a {Training.Dynamics.DynamicsModel.Name(model.Kind)}");
            var run = Progress.Run("rollout", t, p => RolloutRun.Of(model, s, starts, step, t, kind, p));
            using (var dir = new AtomicDirectory(outDir))
            {
                int[] shape = [run.Batch, run.Frames, run.StateSize];
                Npy.Write(dir.FilePath("states.npy"), run.Learned, shape);
                Npy.Write(dir.FilePath("true_states.npy"), run.Truth, shape);
                var metrics = run.Metrics();
                AtomicFile.WriteAllText(dir.FilePath("metrics.json"), JsonSerializer.Serialize(metrics, new JsonSerializerOptions { WriteIndented = true }) + "\n");
                RolloutCharts.Write(dir, run, s, model);
                dir.Commit();
                Console.WriteLine($"wrote {outDir}/: {run.Batch} trajectories × {run.Steps} steps; relative energy drift learned " +
                                  $"{metrics["relative_energy_drift_learned"]:e2} (reference {metrics["relative_energy_drift_reference"]:e2}), MSE at the end {metrics[$"mse_at_step_{t}"]:e2}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>What a rollout writes into --out (which it replaces as a whole).</summary>
    static readonly string[] OutputFiles = ["states.npy", "true_states.npy", "metrics.json", .. RolloutCharts.Files];

    static float[] InitialStates(string path, int stateSize)
    {
        var a = Npy.Read(path);
        if (a.Shape.Length != 2 || a.Shape[1] != stateSize)
            throw new UserError($"{path}: expected initial states (B, {stateSize}), got shape ({string.Join(", ", a.Shape)})");
        var values = a.Data switch { float[] f => f, double[] d => Array.ConvertAll(d, x => (float)x), _ => throw new UserError($"{path}: dtype {a.Dtype}; expected float32 or float64") };
        if (values.Length == 0 || !Array.TrueForAll(values, float.IsFinite)) throw new UserError($"{path}: empty or non-finite initial states");
        return values;
    }
}
