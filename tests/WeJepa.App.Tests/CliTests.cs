using WeJepa.App;

namespace WeJepa.App.Tests;

public class CliTests
{
    [Test]
    public void HelpSucceeds()
    {
        var (code, stdout, _) = Cli.Run("--help");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("simulate").And.Contain("doctor"));
    }

    [Test]
    public void UnknownVerbFailsWithNonZeroExit()
    {
        var (code, _, stderr) = Cli.Run("no-such-verb");
        Assert.That(code, Is.Not.EqualTo(0));
        Assert.That(stderr, Does.Contain("no-such-verb"));
    }

    [Test]
    public void InternalErrorsGoToTheCurrentStderrEvenAfterAnEarlierOneWasDisposed()
    {
        var original = Console.Error;
        try
        {
            using (var earlier = new StringWriter())
            {
                Console.SetError(earlier);
                Program.ReportInternalError(new InvalidOperationException("first bug"));
                Assert.That(earlier.ToString(), Does.Contain("first bug"));
            }
            var current = new StringWriter();
            Console.SetError(current);
            Assert.That(Program.ReportInternalError(new InvalidOperationException("second bug")), Is.EqualTo(1));
            Assert.That(current.ToString(), Does.Contain("InvalidOperationException").And.Contain("second bug"));
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Test]
    public void MalformedOptionIsBadInputWithAHint()
    {
        var (code, stdout, stderr) = Cli.Run("simulate", "--scene", "x.yaml", "--envs", "abc", "--out", "unused");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Is.Empty);
        Assert.That(stderr, Is.EqualTo("error: Cannot parse argument 'abc' for option '--envs' as expected type 'integer'.\n(see: wejepa simulate --help)\n"));
        Assert.That(Directory.Exists("unused"), Is.False);
    }

    [TestCase("demo")]
    [TestCase("simulate")]
    [TestCase("doctor")]
    [TestCase("scene")]
    [TestCase("scene", "check")]
    public void EveryVerbHasHelp(params string[] verb)
    {
        var (code, stdout, _) = Cli.Run([.. verb, "--help"]);
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Does.Contain("Usage:"));
    }
}
