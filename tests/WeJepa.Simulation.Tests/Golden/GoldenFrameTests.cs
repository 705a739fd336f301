using System.Runtime.CompilerServices;
using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Gpu;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;
using WeJepa.Simulation.Tests.Rendering;

namespace WeJepa.Simulation.Tests.Golden;

/// <summary>
/// One golden contact sheet per shipped scene (scenes/*.yaml): 4 environments (rows: their initial
/// state, and the state 40 steps later) rendered by the shader with the scene's own appearance,
/// randomisation and noise, compared with the committed Golden/&lt;scene&gt;.png within 2/255 per channel.
/// Regenerate after an intended change with <c>WEJEPA_UPDATE_GOLDEN=1 dotnet test --filter Golden</c>.
/// </summary>
public class GoldenFrameTests : GpuFixture
{
    private const int Envs = 4, LaterStep = 40, Tolerance = 2;
    private const string UpdateVariable = "WEJEPA_UPDATE_GOLDEN";

    private static IEnumerable<TestCaseData> Scenes() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "scenes"), "*.yaml").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetName($"Golden({Path.GetFileNameWithoutExtension(path)})"));

    [TestCaseSource(nameof(Scenes))]
    public void SceneFramesMatchTheGoldenImage(string scenePath)
    {
        var scene = SceneLoader.Load(scenePath);
        var (rgb, width, height) = RenderSheet(scene);
        var golden = Path.Combine(SourceFolder(), Path.GetFileNameWithoutExtension(scenePath) + ".png");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            PngFile.Save(golden, rgb, width, height);
            Assert.Warn($"rewrote {golden}");
            return;
        }
        Assert.That(File.Exists(golden), Is.True, $"{golden} is missing: run the tests once with {UpdateVariable}=1 and look at it");
        var (expected, w, h) = PngFile.Load(golden);
        Assert.That((w, h), Is.EqualTo((width, height)), "golden image size");
        int worst = rgb.Zip(expected, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), $"max channel difference to {golden}");
    }

    /// <summary>Rows = the 4 environments; columns = frame 0 and frame <see cref="LaterStep"/>; uint8 from the shader.</summary>
    private (byte[] Rgb, int Width, int Height) RenderSheet(Scene scene)
    {
        var trajectory = ReferenceSimulator.Run(scene, envs: Envs, steps: LaterStep);
        int s = scene.StateSize;
        var states = new float[Envs * 2 * s];
        for (int e = 0; e < Envs; e++)
        for (int c = 0; c < 2; c++)
            for (int j = 0; j < s; j++)
                states[(e * 2 + c) * s + j] = (float)trajectory.State(e, c * LaterStep)[j];
        var spec = RenderSpec.FromScene(scene);
        var looks = EnvLooks.Draw(spec, 0, Enumerable.Range(0, Envs).Select(e => (float)Environments.LengthScale(scene, e)).ToArray());
        using var renderer = new GpuRenderer(Device, spec);
        using var stateBuffer = Upload(states);
        using var lookBuffer = Upload(looks);
        using var output = Device.CreateBuffer(Envs * 2 * renderer.FrameBytes(FrameFormat.UInt8));
        renderer.Render(stateBuffer, lookBuffer, new FrameIndexing(2), 0, Envs * 2, output, 0, FrameFormat.UInt8);
        var frames = output.ReadToHost<byte>((int)output.SizeBytes);
        return ContactSheet.Tile(frames, Envs * 2, spec.Height, spec.Width, columns: 2);
    }

    private static string SourceFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
