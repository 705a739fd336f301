namespace WeJepa.TestSupport;

/// <summary>A fresh temporary folder for each test, <see cref="Dir"/>, deleted with its contents afterwards.</summary>
public abstract class TempFolderTest
{
    protected string Dir { get; private set; } = "";

    [SetUp]
    public void CreateTempFolder() => Dir = Directory.CreateTempSubdirectory("wejepa-test").FullName;

    [TearDown]
    public void DeleteTempFolder() => Directory.Delete(Dir, recursive: true);
}
