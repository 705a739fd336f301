using System.CommandLine;
using WeJepa.App.Terminal;
using WeJepa.Core.IO;
using WeJepa.Simulation.Reference;

namespace WeJepa.App.Commands;

/// <summary>
/// <c>wejepa simulate --scene F --envs N --steps T --out DIR</c>: runs the reference physics and writes
/// <c>states.npy</c>, <c>energy.npy</c>, <c>meta.json</c>, <c>scene.yaml</c> into DIR (all or nothing).
/// </summary>
public sealed class SimulateCommand : ICliCommand
{
    public Command Build()
    {
        var run = new ReferenceRunOptions(new Option<string?>("--scene") { Description = "Scene file (.yaml)", Required = true });
        var output = new Option<string>("--out") { Description = "Output folder (replaced when it holds only an earlier run's files; refused when it holds anything else)", Required = true };
        var command = new Command("simulate",
            "Simulate a scene with the reference physics (C#, double) and write states.npy (float32, N×(T+1)×S), " +
            "energy.npy (float32, N×(T+1)), meta.json and scene.yaml into --out");
        run.AddTo(command);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var (s, yaml) = run.Resolve(parse);
            var outDir = parse.GetValue(output)!;
            OutputTarget.CheckFolder("--out", outDir, [run.ScenePath(parse)], TrajectoryFiles.Names);
            var trajectory = ReferenceRunOptions.Simulate(s);
            using (var dir = new AtomicDirectory(outDir))
            {
                TrajectoryFiles.Write(dir, s, yaml, trajectory);
                dir.Commit();
            }
            System.Console.WriteLine($"wrote {outDir}/: states.npy ({trajectory.Envs}, {trajectory.Frames}, {trajectory.StateSize}) float32, " +
                                     $"energy.npy ({trajectory.Envs}, {trajectory.Frames}) float32, meta.json, scene.yaml");
            return 0;
        });
        return command;
    }
}
