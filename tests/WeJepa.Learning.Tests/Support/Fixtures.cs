using WeJepa.Core.IO;
using WeJepa.TestSupport;

namespace WeJepa.Learning.Tests.Support;

/// <summary>Finds and loads the committed PyTorch fixtures in <c>tests/fixtures/</c>.</summary>
public static class Fixtures
{
    /// <summary>Absolute path of <c>tests/fixtures/</c> (found by walking up to the solution file).</summary>
    public static string Folder => Repository.File("tests", "fixtures");

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
