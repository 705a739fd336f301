using WeJepa.Core.IO;

namespace WeJepa.Learning.Tests.Support;

/// <summary>Finds and loads the committed PyTorch fixtures in <c>tests/fixtures/</c>.</summary>
public static class Fixtures
{
    /// <summary>Absolute path of <c>tests/fixtures/</c> (found by walking up to the solution file).</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "WeJepa.Sim.sln")))
                    return Path.Combine(dir.FullName, "tests", "fixtures");
            throw new DirectoryNotFoundException("WeJepa.Sim.sln not found above " + AppContext.BaseDirectory);
        }
    }

    static readonly Dictionary<string, SafetensorsFile> cache = new();

    /// <summary>A fixture file (cached for the test run).</summary>
    public static SafetensorsFile Load(string fileName)
    {
        lock (cache)
        {
            if (!cache.TryGetValue(fileName, out var file))
                cache[fileName] = file = Safetensors.Read(Path.Combine(Folder, fileName));
            return file;
        }
    }

    /// <summary>Tensor <paramref name="name"/> of <paramref name="fileName"/> as doubles.</summary>
    public static double[] Values(string fileName, string name) => Load(fileName).Get(fileName, name).ToFloat64();

    public static int[] Shape(string fileName, string name) => Load(fileName).Get(fileName, name).ShapeAsInt();
}
