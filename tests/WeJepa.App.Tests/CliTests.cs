using WeJepa.App;

namespace WeJepa.App.Tests;

public class CliTests
{
    [Test]
    public void HelpSucceeds()
    {
        Assert.That(Program.Run(["--help"]), Is.EqualTo(0));
    }

    [Test]
    public void UnknownVerbFailsWithNonZeroExit()
    {
        Assert.That(Program.Run(["no-such-verb"]), Is.Not.EqualTo(0));
    }
}
