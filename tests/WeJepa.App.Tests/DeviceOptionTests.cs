using WeJepa.App.Commands;
using WeJepa.Core.Errors;
using WeJepa.Learning.Devices;

namespace WeJepa.App.Tests;

/// <summary>The app turns <c>--device</c> into the engine's typed options and the engine's errors into exit codes.</summary>
public class DeviceOptionTests
{
    [TestCase("auto", DeviceKind.Auto)]
    [TestCase("CPU", DeviceKind.Cpu)]
    [TestCase(" cuda ", DeviceKind.Cuda)]
    public void ParsesTheDeviceOption(string text, DeviceKind kind) => Assert.That(DeviceOption.Parse(text), Is.EqualTo(kind));

    [Test]
    public void UnknownDeviceOptionIsABadInputError()
    {
        var e = Assert.Throws<UserError>(() => DeviceOption.Parse("tpu"));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(e.Message, Does.Contain("--device").And.Contain("tpu"));
    }

    [Test]
    public void AnUnavailableDeviceIsAMissingDependency()
    {
        Device? gpu = null;
        try { gpu = DeviceOption.Open("cuda"); }
        catch (UserError e)
        {
            Assert.That(e.ExitCode, Is.EqualTo(ExitCodes.MissingDependency));
            Assert.That(e.Message, Does.Contain("--device cuda").And.Contain("CUDA"));
            return;
        }
        gpu.Dispose();
        Assert.Ignore("a GPU is present");
    }
}
