using WeJepa.Core.IO;
using WeJepa.Core.Plots;
using WeJepa.Core.Scenes;
using WeJepa.Simulation.Rendering;
using WeJepa.Training.Rollouts;

namespace WeJepa.App.Commands;

/// <summary>
/// The rollout's pictures, through the project's line plot: θ(t) true vs learned, the true energy of both against
/// time, the phase portrait (q, v) of both (for a conservative system the true curves are the true H's level
/// sets through the starts; the learned ones follow the learned flow), and a strip of rendered frames true | learned.
/// </summary>
static class RolloutCharts
{
    const int Shown = 4;
    static readonly Rgb8[] Colors = [new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40)];

    public static void Write(AtomicDirectory dir, RolloutRun run, Scene scene)
    {
        int shown = Math.Min(Shown, run.Batch), s = run.StateSize, d = s / 2;
        var time = Enumerable.Range(0, run.Frames).Select(k => k * run.Dt).ToArray();
        double[] Series(float[] states, int i, int c) => Enumerable.Range(0, run.Frames).Select(k => (double)states[((long)i * run.Frames + k) * s + c]).ToArray();
        double[] Energy(double[] e, int i) => e.AsSpan(i * run.Frames, run.Frames).ToArray();

        var theta = new LinePlot("θ(t): true (dim) vs learned", "t (s)", "θ (rad)");
        var energy = new LinePlot("true energy along the trajectories: reference (dim) vs learned", "t (s)", "E (J)");
        var phase = new LinePlot("phase portrait: reference (dim) vs learned", "q", "v");
        for (int i = 0; i < shown; i++)
        {
            var (c, dim) = (Colors[i], Dim(Colors[i]));
            theta.Add($"true {i}", time, Series(run.Truth, i, 0), dim).Add($"learned {i}", time, Series(run.Learned, i, 0), c);
            energy.Add($"true {i}", time, Energy(run.TrueEnergy, i), dim).Add($"learned {i}", time, Energy(run.LearnedEnergy, i), c);
            phase.Add($"true {i}", Series(run.Truth, i, 0), Series(run.Truth, i, d), dim).Add($"learned {i}", Series(run.Learned, i, 0), Series(run.Learned, i, d), c);
        }
        theta.SavePng(dir.FilePath("theta.png"));
        energy.SavePng(dir.FilePath("energy.png"));
        phase.SavePng(dir.FilePath("phase.png"));
        Strip(dir.FilePath("strip.png"), run, scene, shown);
    }

    /// <summary>Rows true, learned for each shown trajectory; 8 columns evenly spaced in time (the reference renderer).</summary>
    static void Strip(string path, RolloutRun run, Scene scene, int shown)
    {
        const int columns = 8;
        var spec = RenderSpec.FromScene(scene);
        var looks = EnvLooks.Draw(spec, 0, 1);
        int s = run.StateSize;
        var frames = new byte[2 * shown * columns * spec.FrameFloats];
        var frame = new float[spec.FrameFloats];
        int n = 0;
        for (int i = 0; i < shown; i++)
            foreach (var states in new[] { run.Truth, run.Learned })
                for (int c = 0; c < columns; c++)
                {
                    int k = (int)((long)c * run.Steps / (columns - 1));
                    ReferenceRenderer.RenderFrame(spec, states.AsSpan((int)(((long)i * run.Frames + k) * s), s), looks, 0, (uint)k, frame);
                    ReferenceRenderer.Quantize(frame, frames.AsSpan(n++ * spec.FrameFloats, spec.FrameFloats));
                }
        var (rgb, w, h) = FramePng.ContactSheet(frames, n, spec.Height, spec.Width, columns);
        FramePng.SaveRgb(path, rgb, w, h, zoom: 2);
    }

    static Rgb8 Dim(Rgb8 c) => new((byte)((c.R + 2 * 200) / 3), (byte)((c.G + 2 * 200) / 3), (byte)((c.B + 2 * 200) / 3));
}
