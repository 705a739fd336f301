using WeJepa.App.Commands;

namespace WeJepa.App.Tests;

public class DoctorTests
{
    [Test]
    public void DoctorReportsEveryCheckAndExitsZero()
    {
        var (code, stdout, _) = Cli.Run("doctor");
        Assert.That(code, Is.Zero);
        foreach (var name in new[] { "Vulkan loader", "Vulkan drivers", "glslc", "CUDA (ILGPU)", "OpenBLAS", "Display", "GLFW" })
            Assert.That(stdout, Does.Contain(name));
    }

    [Test]
    public void GlslcIsFoundBecauseTheBuildNeedsIt()
    {
        // The solution cannot build without glslc, so on any machine running these tests it is present.
        Assert.That(DoctorChecks.Glslc().Ok, Is.True);
    }

    [Test]
    public void MissingDriversAreReportedWithWhatTheyDisable()
    {
        var old = Environment.GetEnvironmentVariable("VK_DRIVER_FILES");
        try
        {
            Environment.SetEnvironmentVariable("VK_DRIVER_FILES", "/nonexistent/icd.json");
            var check = DoctorChecks.VulkanDrivers();
            Assert.That(check.Ok, Is.False);
            Assert.That(check.WhenMissing, Does.Contain("VK_ERROR_INCOMPATIBLE_DRIVER"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("VK_DRIVER_FILES", old);
        }
    }
}
