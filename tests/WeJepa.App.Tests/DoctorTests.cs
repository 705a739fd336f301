using WeJepa.App.Commands;
using WeJepa.Vulkan;

namespace WeJepa.App.Tests;

public class DoctorTests
{
    [Test]
    public void DoctorReportsEveryCheckAndExitsZero()
    {
        var (code, stdout, _) = Cli.Run("doctor");
        Assert.That(code, Is.Zero);
        foreach (var name in new[] { "Vulkan loader", "Vulkan drivers", "Vulkan devices", "glslc", "CUDA (ILGPU)", "ILGPU devices", "OpenBLAS", "Display", "GLFW" })
            Assert.That(stdout, Does.Contain(name));
    }

    [Test]
    public void TheLoaderRowNamesTheVulkanBindingInUse()
    {
        var check = DoctorChecks.VulkanLoader();
        Assert.That(check.Ok, Is.True);
        Assert.That(check.Detail, Does.Match(@"instance API 1\.\d+\.\d+").And.EndsWith("bound by Silk.NET.Vulkan 2.23.0"));
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

    [Test]
    public void VulkanDevicesAreListedWithTheOneTheSimulatorPicks()
    {
        // lavapipe is installed wherever these tests run (the Vulkan tests need it too).
        var check = WithGpuVariable(null, DoctorChecks.VulkanDevices);
        Assert.That(check.Ok, Is.True, check.Detail);
        Assert.That(check.Detail, Does.Contain("llvmpipe").And.Contain("Cpu, Vulkan 1."));
        var picked = GpuSelection.Choose(VulkanDevice.ListGpus(), null);
        Assert.That(check.Detail, Does.Contain($"picks [{picked.Index}]"));
    }

    [Test]
    public void VulkanDevicesHonourWejepaGpu()
    {
        var byName = WithGpuVariable("LLVMPIPE", DoctorChecks.VulkanDevices);
        Assert.That(byName.Ok, Is.True);
        Assert.That(byName.Detail, Does.Match(@"picks \[\d+\] llvmpipe.*\(WEJEPA_GPU=LLVMPIPE\): selector ""LLVMPIPE"" matches its name"));

        var unknown = WithGpuVariable("no-such-gpu", DoctorChecks.VulkanDevices);
        Assert.That(unknown.Ok, Is.False);
        Assert.That(unknown.Detail, Does.Contain("picks none").And.Contain("no-such-gpu"));
        Assert.That(unknown.WhenMissing, Does.Contain("generate"));
    }

    [Test]
    public void LearningDevicesNameWhatDeviceAutoPicks()
    {
        var check = DoctorChecks.LearningDevices();
        Assert.That(check.Ok, Is.True, check.Detail);
        Assert.That(check.Detail, Does.StartWith("CPU accelerator: "));
        var cuda = DoctorChecks.Cuda().Ok;
        Assert.That(check.Detail, Does.Contain(cuda ? "--device auto picks CUDA: " : "--device auto picks the CPU accelerator"));
    }

    [Test]
    public void OneDnnRowSaysWhatBlasAutoRuns()
    {
        var check = DoctorChecks.OneDnn();
        Assert.That(check.Ok, Is.EqualTo(System.Runtime.InteropServices.NativeLibrary.TryLoad("libdnnl.so.2", out _)));
        Assert.That(check.Detail, Does.Contain("--blas auto: ").And.Contain(check.Ok ? "oneDNN 2." : "not found"));
    }

    private static DoctorCheck WithGpuVariable(string? value, Func<DoctorCheck> probe)
    {
        var old = Environment.GetEnvironmentVariable(VulkanOptions.GpuVariable);
        try
        {
            Environment.SetEnvironmentVariable(VulkanOptions.GpuVariable, value);
            return probe();
        }
        finally
        {
            Environment.SetEnvironmentVariable(VulkanOptions.GpuVariable, old);
        }
    }
}
