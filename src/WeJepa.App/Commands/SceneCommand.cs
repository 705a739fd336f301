using System.CommandLine;
using WeJepa.Core.Scenes;

namespace WeJepa.App.Commands;

/// <summary><c>wejepa scene check FILE</c>: validates a scene file and summarises it.</summary>
public sealed class SceneCommand : ICliCommand
{
    public Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "Scene file (.yaml) to validate" };
        var check = new Command("check", "Validate a scene file: exit 0 and a summary when valid, else one error naming file:line:col and the key (exit 2)");
        check.Arguments.Add(file);
        check.SetAction(parse =>
        {
            var scene = SceneLoader.Load(parse.GetValue(file)!);
            System.Console.WriteLine($"{scene.Source}: ok");
            System.Console.WriteLine(Describe(scene));
            return 0;
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
