namespace WeJepa.Native.Cuda;

/// <summary>
/// Where libcublas is looked for, in this order (the first that loads wins):
/// <list type="number">
/// <item><c>WEJEPA_CUBLAS</c>: an explicit file, when set (nothing else is tried if it does not load);</item>
/// <item>the sonames <c>libcublas.so.12</c>, <c>.so.13</c>, <c>.so.11</c>, <c>.so.10</c>, through the dynamic loader
/// (LD_LIBRARY_PATH, the ldconfig cache): a system CUDA toolkit, newest supported major first, 12 before 13
/// because 12 is what current drivers and PyTorch wheels pair with;</item>
/// <item>the copy bundled in a PyTorch install: <c>nvidia/cublas/lib/libcublas.so.N</c> (the pip wheels of torch 2.x)
/// or <c>torch/lib/libcublas*.so*</c> (older wheels), under each Python package folder: PYTHONPATH, the active
/// virtualenv / conda prefix, /opt/conda, /usr/local/lib/python3.*, /usr/lib/python3, ~/.local.</item>
/// </list>
/// The search itself touches only the file system (unit-tested on a temp folder of fake files); loading is the caller's.
/// </summary>
public static class CuBlasLibrary
{
    public const string PathVariable = "WEJEPA_CUBLAS";
    public static readonly string[] Sonames = ["libcublas.so.12", "libcublas.so.13", "libcublas.so.11", "libcublas.so.10"];

    /// <summary>
    /// The candidates in search order: the explicit file alone when given, else the sonames then every bundled copy
    /// found under <paramref name="pythonFolders"/> (site-/dist-packages folders; see <see cref="PythonPackageFolders"/>).
    /// </summary>
    public static IReadOnlyList<string> Candidates(string? explicitFile, IEnumerable<string> pythonFolders)
    {
        if (explicitFile is { Length: > 0 }) return [explicitFile];
        var list = new List<string>(Sonames);
        foreach (var folder in pythonFolders.Distinct())
        {
            var wheel = Path.Combine(folder, "nvidia", "cublas", "lib");
            list.AddRange(Sonames.Select(s => Path.Combine(wheel, s)).Where(File.Exists));
            var torchLib = Path.Combine(folder, "torch", "lib");
            if (Directory.Exists(torchLib))
                list.AddRange(Directory.GetFiles(torchLib, "libcublas*.so*")
                    .Where(f => !Path.GetFileName(f).StartsWith("libcublasLt", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }
        return list;
    }

    /// <summary>
    /// Python package folders, in the order they are searched: PYTHONPATH entries, then site-/dist-packages under the
    /// virtualenv, conda, system and user prefixes; every absolute path is taken below <paramref name="root"/> ("/"; tests pass a temp folder).
    /// </summary>
    public static IEnumerable<string> PythonPackageFolders(string root, string? pythonPath, string? virtualEnv, string? condaPrefix, string? home)
    {
        string Under(string path) => Path.IsPathRooted(path) ? Path.Combine(root, path.TrimStart('/')) : path;
        foreach (var entry in (pythonPath ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return Under(entry);
        var prefixes = new List<string>();
        if (virtualEnv is { Length: > 0 }) prefixes.Add(virtualEnv);
        if (condaPrefix is { Length: > 0 }) prefixes.Add(condaPrefix);
        prefixes.AddRange(["/opt/conda", "/usr/local", "/usr"]);
        if (home is { Length: > 0 }) prefixes.Add(Path.Combine(home, ".local"));
        foreach (var prefix in prefixes)
        {
            var lib = Path.Combine(Under(prefix), "lib");
            if (!Directory.Exists(lib)) continue;
            foreach (var python in Directory.GetDirectories(lib, "python3*").Order(StringComparer.Ordinal).Reverse())
                foreach (var packages in new[] { "site-packages", "dist-packages" })
                {
                    var folder = Path.Combine(python, packages);
                    if (Directory.Exists(folder)) yield return folder;
                }
        }
    }

    /// <summary>The candidates for this process: its environment and the real file system.</summary>
    public static IReadOnlyList<string> CandidatesFromEnvironment() =>
        Candidates(Environment.GetEnvironmentVariable(PathVariable),
            PythonPackageFolders("/", Environment.GetEnvironmentVariable("PYTHONPATH"), Environment.GetEnvironmentVariable("VIRTUAL_ENV"),
                Environment.GetEnvironmentVariable("CONDA_PREFIX"), Environment.GetEnvironmentVariable("HOME")));
}
