using System.Text.Json.Nodes;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;
using WeJepa.TestSupport;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>
/// <c>tools/reference/torch_sim_bench.py</c> (what <c>wejepa bench sim</c> compares against) does the same
/// maths as ours: its RK4 pendulums (both forms: fresh tensors and in place) match the reference physics and
/// its SDF frames (both forms: one call and chunks blended in place, float32 and uint8) the reference renderer.
/// </summary>
public class TorchReferenceTests
{
    private static JsonNode RunCheck(int steps, int size)
    {
        var script = Repository.File("tools", "reference", "torch_sim_bench.py");
        return JsonNode.Parse(Python.RunFile(script, "--check", "--steps", $"{steps}", "--size", $"{size}", "--threads", "1"))!;
    }

    private static double[] Doubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();

    [Test]
    public void TorchPhysicsAndFramesMatchOurReferences()
    {
        const int steps = 100, size = 16;
        var json = RunCheck(steps, size);

        var system = new PendulumDynamics(Length: 1.0, Mass: 1.0, Gravity: 9.81);
        var (theta0, omega0) = (Doubles(json["theta0"]!), Doubles(json["omega0"]!));
        foreach (var form in new[] { "", "_inplace", "_inplace_chunked" })
        {
            var (theta, omega) = (Doubles(json["theta" + form]!), Doubles(json["omega" + form]!));
            for (int i = 0; i < theta0.Length; i++)
            {
                double[] state = [theta0[i], omega0[i]];
                for (int k = 0; k < steps; k++) Integrators.Rk4(system, state, k * 0.01, 0.01);
                Assert.That(theta[i], Is.EqualTo(state[0]).Within(1e-4), $"θ{form} of pendulum {i}");
                Assert.That(omega[i], Is.EqualTo(state[1]).Within(1e-4), $"ω{form} of pendulum {i}");
            }
        }

        var spec = RenderSpecs.Simple(size);
        var thetas = Doubles(json["thetas"]!);
        var states = thetas.SelectMany(t => new[] { (float)t, 0f }).ToArray();
        var ours = RenderSpecs.RenderReference(spec, states);
        foreach (var form in new[] { "frames", "frames_chunked" })
        {
            var torch = Doubles(json[form]!);
            Assert.That(torch, Has.Length.EqualTo(ours.Length), form);
            Assert.That(torch.Zip(ours, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(1e-4), form);
        }
        var torchBytes = Doubles(json["frames_uint8_chunked"]!);
        Assert.That(torchBytes.Zip(ours, (a, b) => Math.Abs(a - Math.Floor(b * 255 + 0.5))).Max(), Is.LessThanOrEqualTo(1), "frames_uint8_chunked");
    }
}
