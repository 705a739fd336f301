namespace WeJepa.TestSupport;

/// <summary>The checkout the tests run from, found by walking up from the test binaries to <c>WeJepa.Sim.sln</c>.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    /// <summary>An absolute path inside the checkout, e.g. <c>Repository.File("tests", "fixtures")</c>.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "WeJepa.Sim.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("WeJepa.Sim.sln not found above " + AppContext.BaseDirectory);
    }
}
