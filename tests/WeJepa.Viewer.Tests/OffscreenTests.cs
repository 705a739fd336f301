using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace WeJepa.Viewer.Tests;

/// <summary>`wejepa view` without a display: files offscreen, or one clear message and exit 3.</summary>
public class OffscreenTests
{
    private string dir = "";

    [SetUp]
    public void MakeFolder() => dir = Directory.CreateTempSubdirectory("wejepa-view-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(dir, recursive: true);

    [Test]
    public void Without_a_display_the_window_says_what_to_do_instead_and_exits_3()
    {
        using var view = new ViewerProcess(display: null, "view");
        Assert.That(view.WaitForExit(), Is.EqualTo(3));
        var lines = view.Errors.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(1), view.Errors);
        Assert.That(lines[0], Does.StartWith("error: no display").And.Contain("--record").And.Contain("xvfb-run"));
    }

    [Test]
    public void Frames_screenshot_and_record_write_a_png_and_a_looping_gif()
    {
        using var view = new ViewerProcess(display: null, "view --envs 2 --size 320x240 --frames 8 --screenshot shot.png --record run.gif --validation", dir);
        Assert.That(view.WaitForExit(), Is.Zero, view.Errors);
        using (var png = Image.Load<Rgb24>(Path.Combine(dir, "shot.png")))
            Assert.That((png.Width, png.Height), Is.EqualTo((320, 240)));
        using (var gif = Image.Load<Rgb24>(Path.Combine(dir, "run.gif")))
        {
            Assert.That(gif.Frames.Count, Is.EqualTo(4), "every second of 8 frames");
            Assert.That((gif.Width, gif.Height), Is.EqualTo((320, 240)));
        }
        Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EquivalentTo(new[] { "shot.png", "run.gif" }), "no temp files left");
    }

    [TestCase("--size 10x10", "--size")]
    [TestCase("--envs 0 --frames 1", "--envs")]
    [TestCase("--model nope --frames 1", "--model")]
    [TestCase("--screenshot a.png", "--screenshot needs --frames")]
    [TestCase("--checkpoint no-such-run --frames 1", "--checkpoint no-such-run: no such file")]
    [TestCase("--model hnn --frames 1", "--model hnn needs --checkpoint")]
    public void Bad_options_are_one_error_line_and_exit_2(string arguments, string named)
    {
        using var view = new ViewerProcess(display: null, "view " + arguments, dir);
        Assert.That(view.WaitForExit(), Is.EqualTo(2));
        Assert.That(view.Errors, Does.StartWith("error: ").And.Contain(named));
        Assert.That(Directory.GetFiles(dir), Is.Empty);
    }
}
