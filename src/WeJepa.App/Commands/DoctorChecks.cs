using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.CPU;
using ILGPU.Runtime.Cuda;
using WeJepa.Core.Errors;
using WeJepa.Vulkan;

namespace WeJepa.App.Commands;

/// <summary>One line of the <c>doctor</c> report: what was found, and what its absence disables.</summary>
public sealed record DoctorCheck(string Name, bool Ok, string Detail, string WhenMissing);

/// <summary>Probes of the machine, each cheap and side-effect free.</summary>
public static class DoctorChecks
{
    public static IEnumerable<DoctorCheck> All() =>
    [
        VulkanLoader(), VulkanDrivers(), VulkanDevices(), Glslc(), Cuda(), LearningDevices(), OpenBlas(), OneDnn(), Display(), Glfw(), PythonReferences(),
    ];

    public static DoctorCheck VulkanLoader()
    {
        const string missing = "the Vulkan simulator and renderer (frames, `generate`, `view`); `simulate`/`demo` still run the C# reference physics";
        try
        {
            return new("Vulkan loader", true, $"libvulkan.so.1, instance API {VulkanDevice.LoaderVersion()}, bound by {VulkanDevice.Binding}", missing);
        }
        catch (Exception e) when (e is UserError or VulkanException)
        {
            return new("Vulkan loader", false, $"libvulkan.so.1 not usable (apt-get install libvulkan1): {e.Message}", missing);
        }
    }

    /// <summary>Installable client drivers (ICD manifests) the loader will consider.</summary>
    public static DoctorCheck VulkanDrivers()
    {
        var explicitFiles = Environment.GetEnvironmentVariable("VK_DRIVER_FILES") ?? Environment.GetEnvironmentVariable("VK_ICD_FILENAMES");
        var files = explicitFiles is { Length: > 0 }
            ? explicitFiles.Split(':', StringSplitOptions.RemoveEmptyEntries)
            : new[] { "/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d" }
                .Where(Directory.Exists).SelectMany(d => Directory.GetFiles(d, "*.json")).Order().ToArray();
        var drivers = files.Select(f => $"{Path.GetFileNameWithoutExtension(f)}{(DriverLoadable(f) ? "" : " (library missing)")}").ToList();
        var ok = files.Any(DriverLoadable);
        var source = explicitFiles is { Length: > 0 } ? " (from VK_DRIVER_FILES)" : "";
        return new("Vulkan drivers", ok,
            drivers.Count == 0 ? "no ICD manifests (apt-get install mesa-vulkan-drivers for lavapipe)" : string.Join(", ", drivers) + source,
            "every Vulkan device: vkCreateInstance fails with VK_ERROR_INCOMPATIBLE_DRIVER");
    }

    /// <summary>
    /// Creates a Vulkan instance, lists its devices and names the one the simulator would open, by the same
    /// rules (<see cref="GpuSelection"/>, <c>WEJEPA_GPU</c> honoured).
    /// </summary>
    public static DoctorCheck VulkanDevices()
    {
        const string missing = "the Vulkan simulator and renderer (frames, `generate`, `bench sim`, `view`)";
        var selector = VulkanOptions.FromEnvironment().Gpu;
        try
        {
            var gpus = VulkanDevice.ListGpus();
            var lines = gpus.Select(g => $"[{g.Index}] {g.Name}: {g.Type}, Vulkan {g.ApiVersion}{(g.HasComputeQueue ? "" : ", no compute queue")}").ToList();
            var source = selector is null ? "" : $" ({VulkanOptions.GpuVariable}={selector})";
            try
            {
                var chosen = GpuSelection.Choose(gpus, selector);
                lines.Add($"picks [{chosen.Index}] {chosen.Name}{source}: {GpuSelection.Reason(gpus, chosen, selector)}");
                return new("Vulkan devices", true, string.Join('\n', lines), missing);
            }
            catch (UserError e)
            {
                lines.Add($"picks none{source}: {e.Message}");
                return new("Vulkan devices", false, string.Join('\n', lines), missing);
            }
        }
        catch (Exception e) when (e is UserError or VulkanException)
        {
            return new("Vulkan devices", false, e.Message, missing);
        }
    }

    private static bool DriverLoadable(string manifest)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(manifest));
            var lib = doc.RootElement.GetProperty("ICD").GetProperty("library_path").GetString();
            if (lib is null) return false;
            if (!Path.IsPathRooted(lib) && lib.Contains('/')) lib = Path.Combine(Path.GetDirectoryName(manifest)!, lib);
            if (Path.IsPathRooted(lib)) return File.Exists(lib);
            if (!NativeLibrary.TryLoad(lib, out var h)) return false;
            NativeLibrary.Free(h);
            return true;
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static DoctorCheck Glslc()
    {
        var version = RunFirstLine("glslc", "--version");
        return new("glslc", version is not null, version ?? "not on PATH (apt-get install glslc)",
            "building the shaders (shaders/*.comp → .spv): the solution does not build");
    }

    public static DoctorCheck Cuda()
    {
        const string missing = "GPU learning: models train on ILGPU's CPU accelerator (+ OpenBLAS), much slower";
        try
        {
            using var context = Context.Create(b => b.Default());
            var devices = context.Devices.Select(d => $"{d.AcceleratorType}: {d.Name}").ToList();
            var cuda = context.Devices.Where(d => d.AcceleratorType == AcceleratorType.Cuda).ToList();
            return new("CUDA (ILGPU)", cuda.Count > 0,
                cuda.Count > 0 ? string.Join(", ", cuda.Select(d => $"{d.Name} ({d.MemorySize / (1 << 20)} MiB)")) : $"no CUDA device; ILGPU sees {string.Join(", ", devices)}",
                missing);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new("CUDA (ILGPU)", false, $"ILGPU could not enumerate devices: {e.Message}", missing);
        }
    }

    /// <summary>The ILGPU accelerators the learning engine can run on, and the one <c>--device auto</c> takes.</summary>
    public static DoctorCheck LearningDevices()
    {
        const string missing = "learning (`grad`, `bench engine`, training): no ILGPU accelerator to run the models on";
        try
        {
            // Same builder and rule as WeJepa.Learning's Device.Create: the first CUDA device, else the CPU accelerator.
            using var context = Context.Create(b => b.CPU().Cuda());
            var cuda = context.GetCudaDevices();
            List<string> lines = [$"CPU accelerator: {context.GetCPUDevice(0).Name}"];
            for (var i = 0; i < cuda.Count; i++) lines.Add($"CUDA: {cuda[i].Name} ({cuda[i].MemorySize / (1 << 20)} MiB)");
            lines.Add(cuda.Count > 0
                ? $"--device auto picks CUDA: {cuda[0].Name} (the first CUDA device)"
                : "--device auto picks the CPU accelerator (no CUDA device; GEMMs on OpenBLAS / oneDNN, see --blas)");
            return new("ILGPU devices", true, string.Join('\n', lines), missing);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new("ILGPU devices", false, $"ILGPU could not create a context: {e.Message}", missing);
        }
    }

    public static DoctorCheck OpenBlas() => Library("OpenBLAS", "libopenblas.so.0", "apt-get install libopenblas0-pthread",
        "fast matrix products on the CPU accelerator (learning on CPU)");

    /// <summary>oneDNN (AVX-512 GEMM for large products) and which backend <c>--blas auto</c> then runs.</summary>
    public static DoctorCheck OneDnn()
    {
        var library = Library("oneDNN", "libdnnl.so.2", "apt-get install libdnnl2",
            "the AVX-512 GEMM for large products on the CPU accelerator: --blas auto runs everything on OpenBLAS, --blas onednn is refused");
        return library with { Detail = $"{library.Detail}; --blas {Learning.Devices.Device.DescribeCpuBlas(Learning.Devices.BlasBackend.Auto)}" };
    }

    public static DoctorCheck Glfw() => Library("GLFW", "libglfw.so.3", "apt-get install libglfw3", "the live `view` window");

    public static DoctorCheck Display()
    {
        var display = Environment.GetEnvironmentVariable("DISPLAY");
        var xvfb = RunFirstLine("sh", "-c", "command -v xvfb-run");
        var ok = display is { Length: > 0 } || xvfb is not null;
        var detail = display is { Length: > 0 } ? $"DISPLAY={display}" : "DISPLAY not set";
        detail += xvfb is not null ? "; xvfb-run available (headless windows)" : "; no xvfb-run (apt-get install xvfb xauth)";
        return new("Display", ok, detail, "the live `view` window (run it under xvfb-run -a on a headless machine)");
    }

    public static DoctorCheck PythonReferences()
    {
        // find_spec + metadata instead of `import torch`, which takes seconds.
        var line = RunFirstLine("/usr/bin/python3", "-c",
            "import importlib.metadata as m, importlib.util as u, numpy; assert u.find_spec('torch'); print('numpy', numpy.__version__, '/ torch', m.version('torch'))");
        return new("Python references", line is not null, line ?? "/usr/bin/python3 with numpy and torch not found (apt-get install python3-numpy python3-torch)",
            "the tests that check our NPY files with numpy and our ops against PyTorch fixtures");
    }

    private static DoctorCheck Library(string name, string file, string install, string whenMissing)
    {
        var ok = NativeLibrary.TryLoad(file, out var h);
        if (ok) NativeLibrary.Free(h);
        return new(name, ok, ok ? $"{file} loadable" : $"{file} not loadable ({install})", whenMissing);
    }

    /// <summary>The first output line of a program, or null when it cannot run or fails.</summary>
    private static string? RunFirstLine(string program, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            _ = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(30_000)) { p.Kill(); return null; }
            var line = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim();
            return p.ExitCode == 0 && line is { Length: > 0 } ? line : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
