using System.CommandLine;
using WeJepa.Core.Errors;
using WeJepa.Core.Scenes;

namespace WeJepa.App.Commands;

/// <summary><c>wejepa scene check FILE...</c>: validates scene files and summarises each.</summary>
public sealed class SceneCommand : ICliCommand
{
    public Command Build()
    {
        var files = new Argument<string[]>("FILE") { Description = "Scene files (.yaml) to validate", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check",
            "Validate scene files: a summary of each valid one; for each broken one a line naming file:line:col, the key and the value. Exit 0 when all are valid, else 2");
        check.Arguments.Add(files);
        check.SetAction(parse =>
        {
            var failed = 0;
            foreach (var file in parse.GetValue(files)!)
            {
                try
                {
                    var scene = SceneLoader.Load(file);
                    System.Console.WriteLine($"{scene.Source}: ok");
                    System.Console.WriteLine(Describe(scene));
                }
                catch (UserError e)
                {
                    System.Console.Error.WriteLine($"error: {e.Message}");
                    failed++;
                }
            }
            return failed == 0 ? 0 : ExitCodes.BadInput;
        });
        var scene = new Command("scene", "Work with scene files (scenes/*.yaml)");
        scene.Subcommands.Add(check);
        return scene;
    }

    /// <summary>A few lines that say what the scene simulates and renders.</summary>
    public static string Describe(Scene scene)
    {
        var s = scene.Settings;
        var system = scene.System switch
        {
            PendulumComponent p => $"Pendulum (L {p.Length}, m {p.Mass}, g {p.Gravity}, damping {p.Damping}" +
                                   (p.Drive.IsActive ? $", drive {p.Drive.Amplitude} rad/s² at {p.Drive.Frequency} Hz)" : ")"),
            DoublePendulumComponent d => $"DoublePendulum (l1 {d.L1}, l2 {d.L2}, m1 {d.M1}, m2 {d.M2}, g {d.Gravity}, damping {d.Damping})",
            var other => other.GetType().Name,
        };
        var init = string.Join(", ", scene.System.StateNames.Zip(scene.InitialState.SpecsFor(scene.System),
            (n, v) => v.IsFixed ? $"{n} = {v.Low}" : $"{n} ~ U[{v.Low}, {v.High}]"));
        var c = scene.Camera;
        return $"""
              scene    {s.Name}: seed {s.Seed}, dt {s.Dt} s, {s.Steps} steps, {s.Envs} envs, integrator {SceneSettings.YamlName(s.Integrator)}
              system   {system} on object '{scene.SystemObject.Name}', state size {scene.StateSize}
              initial  {init}
              camera   {c.Width}×{c.Height} px, {c.Scale} world units across, centre ({c.Center.X}, {c.Center.Y})
            """;
    }
}
