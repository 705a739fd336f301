using System.Diagnostics;
using System.Text.Json.Nodes;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>
/// <c>tools/reference/torch_sim_bench.py</c> (what <c>wejepa bench sim</c> compares against) does the same
/// maths as ours: its RK4 pendulums match the reference physics and its SDF frames the reference renderer.
/// </summary>
public class TorchReferenceTests
{
    private static JsonNode RunCheck(int steps, int size)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "tools", "reference", "torch_sim_bench.py"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "tools/reference/torch_sim_bench.py not found above the test binaries");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(dir!.FullName, "tools", "reference", "torch_sim_bench.py"), "--check", "--steps", $"{steps}", "--size", $"{size}", "--threads", "1" })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, stderr.Result);
        return JsonNode.Parse(stdout)!;
    }

    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Test]
    public void TorchPhysicsAndFramesMatchOurReferences()
    {
        const int steps = 100, size = 16;
        var json = RunCheck(steps, size);

        var system = new PendulumDynamics(Length: 1.0, Mass: 1.0, Gravity: 9.81);
        var (theta0, omega0, theta, omega) = (Doubles(json["theta0"]!), Doubles(json["omega0"]!), Doubles(json["theta"]!), Doubles(json["omega"]!));
        for (int i = 0; i < theta0.Length; i++)
        {
            double[] state = [theta0[i], omega0[i]];
            for (int k = 0; k < steps; k++) Integrators.Rk4(system, state, k * 0.01, 0.01);
            Assert.That(theta[i], Is.EqualTo(state[0]).Within(1e-4), $"θ of pendulum {i}");
            Assert.That(omega[i], Is.EqualTo(state[1]).Within(1e-4), $"ω of pendulum {i}");
        }

        var spec = RenderSpecs.Simple(size);
        var thetas = Doubles(json["thetas"]!);
        var states = thetas.SelectMany(t => new[] { (float)t, 0f }).ToArray();
        var ours = RenderSpecs.RenderReference(spec, states);
        var torch = Doubles(json["frames"]!);
        Assert.That(torch, Has.Length.EqualTo(ours.Length));
        Assert.That(torch.Zip(ours, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-4));
    }
}
