namespace WeJepa.App.Tests;

/// <summary>A real <c>train jepa</c> run of one step (tiny preset at 64×64, patch 16: a 4×4 grid), for the commands that read its model.safetensors.</summary>
static class JepaRuns
{
    public static string OneStep(string parent, string kind)
    {
        var run = Path.Combine(parent, "run-" + kind);
        var (code, _, err) = Cli.Run("train", "jepa", "--config", "tiny", "--set", $"model.kind={kind}", "--set", $"model.loss={(kind == "vjepa" ? "mse" : "smooth_l1")}",
            "--set", "model.image_size=64", "--set", "model.patch_size=16", "--steps", "1", "--out", run, "--device", "cpu");
        Assert.That(code, Is.Zero, err);
        return run;
    }
}
