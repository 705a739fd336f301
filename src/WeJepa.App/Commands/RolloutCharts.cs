using WeJepa.Core.IO;
using WeJepa.Core.Scenes;
using WeJepa.Learning;
using WeJepa.Reports;
using WeJepa.Simulation.Reference;
using WeJepa.Simulation.Rendering;
using WeJepa.Training.Dynamics;
using WeJepa.Training.Rollouts;

namespace WeJepa.App.Commands;

/// <summary>
/// The rollout's pictures: θ(t) true vs learned, the true energy of both against time, the phase portrait (q, v) of
/// both trajectories over the contours of the true energy and (HNNs, d = 1) of the learned H, and a strip of rendered
/// frames, rows true | learned.
/// </summary>
static class RolloutCharts
{
    /// <summary>The chart files <see cref="Write"/> puts into a rollout folder.</summary>
    public static readonly string[] Files = ["theta.png", "energy.png", "phase.png", "strip.png"];

    const int Shown = 4, ContourLevels = 8, Grid = 61;
    static readonly Rgb8[] Colors = [Rgb8.Hex("#1f77b4"), Rgb8.Hex("#ff7f0e"), Rgb8.Hex("#2ca02c"), Rgb8.Hex("#d62728")];

    public static void Write(AtomicDirectory dir, RolloutRun run, Scene scene, DynamicsModel model)
    {
        int shown = Math.Min(Shown, run.Batch), s = run.StateSize, d = s / 2;
        var time = Enumerable.Range(0, run.Frames).Select(k => k * run.Dt).ToArray();
        double[] Series(float[] states, int i, int c) => Enumerable.Range(0, run.Frames).Select(k => (double)states[((long)i * run.Frames + k) * s + c]).ToArray();
        double[] Energy(double[] e, int i) => e.AsSpan(i * run.Frames, run.Frames).ToArray();

        var theta = new Chart("θ(t): reference (dashed) vs learned", "time (s)", "θ (rad)");
        var energy = new Chart("true energy along the trajectories: reference (dashed) vs learned", "time (s)", "energy (J)");
        var phase = new Chart("phase portrait: reference (dashed) vs learned", "q (rad)", "v (rad/s)");
        if (d == 1) PhaseContours(phase, run, scene, model);
        for (int i = 0; i < shown; i++)
        {
            var c = Colors[i];
            theta.Line($"reference {i}", time, Series(run.Truth, i, 0), c, Dash.Dashed).Line($"learned {i}", time, Series(run.Learned, i, 0), c);
            energy.Line($"reference {i}", time, Energy(run.TrueEnergy, i), c, Dash.Dashed).Line($"learned {i}", time, Energy(run.LearnedEnergy, i), c);
            phase.Line($"reference {i}", Series(run.Truth, i, 0), Series(run.Truth, i, d), c, Dash.Dashed).Line($"learned {i}", Series(run.Learned, i, 0), Series(run.Learned, i, d), c);
        }
        theta.SavePng(dir.FilePath(Files[0]));
        energy.SavePng(dir.FilePath(Files[1]));
        phase.SavePng(dir.FilePath(Files[2]));
        Strip(dir.FilePath(Files[3]), run, scene, shown);
    }

    /// <summary>Contours of the true energy and, when the model has one, of its learned H, over the trajectories' box.</summary>
    static void PhaseContours(Chart phase, RolloutRun run, Scene scene, DynamicsModel model)
    {
        var all = run.Truth.Concat(run.Learned).Where(float.IsFinite).ToArray();
        var qs = all.Where((_, i) => i % 2 == 0).ToArray();
        var vs = all.Where((_, i) => i % 2 == 1).ToArray();
        if (qs.Length == 0) return;
        (double, double) Box(float[] v) { double lo = v.Min(), hi = v.Max(), pad = 0.1 * Math.Max(hi - lo, 1e-3); return (lo - pad, hi + pad); }
        var (qBox, vBox) = (Box(qs), Box(vs));
        var system = Environments.Dynamics(scene, 0);
        var truth = Field.Sample(qBox, vBox, Grid, Grid, (q, v) => system.Energy([q, v]).Total);
        phase.Contours("true energy", truth, truth.Levels(ContourLevels), Rgb8.Hex("#999999"), Dash.Dotted);
        // a time-input model's H(q, p, t) is drawn at t = 0, where the trajectories start
        int width = model.InputSize;
        var grid = new float[width * Grid * Grid];
        int n = 0;
        foreach (var v in truth.Y)
            foreach (var q in truth.X)
            {
                (grid[n], grid[n + 1]) = ((float)q, (float)v);
                n += width;
            }
        new Tape(model.Parameters.Device).Step(() =>
        {
            if (model.LearnedEnergy(Tensor.FromArray(model.Parameters.Device, grid, Grid * Grid, width)) is not { } h) return;
            var values = h.ToArray();
            var learned = new double[Grid, Grid];
            for (int iy = 0; iy < Grid; iy++) for (int ix = 0; ix < Grid; ix++) learned[iy, ix] = values[iy * Grid + ix];
            var field = new Field(truth.X, truth.Y, learned);
            if (field.Z.Cast<double>().All(double.IsFinite)) phase.Contours(model.TimeInput ? "learned H (t = 0)" : "learned H", field, field.Levels(ContourLevels), Rgb8.Hex("#8c564b"));
        });
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
        var (rgb, w, h) = ContactSheet.Tile(frames, n, spec.Height, spec.Width, columns);
        PngFile.Save(path, rgb, w, h, zoom: 2);
    }
}
