using WeJepa.Core.Scenes;
using WeJepa.Simulation.Rendering;

namespace WeJepa.Simulation.Tests.Rendering;

/// <summary>Small hand-built specs for renderer tests (the scene files are covered by the golden tests).</summary>
internal static class RenderSpecs
{
    public static RenderSpec Simple(int size = 64) => new()
    {
        Width = size, Height = size, Scale = 2.5f,
        Background = new Rgb(0.07, 0.08, 0.10), RodColor = new Rgb(0.85, 0.85, 0.85),
        BobColor = new Rgb(0.95, 0.45, 0.15), PivotColor = new Rgb(0.5, 0.5, 0.5),
        RodWidth = 0.04f, BobRadius = 0.12f, PivotRadius = 0.05f, Links = 1, Length1 = 1f, Seed = 42,
    };

    public static RenderSpec Double(int size = 64) => Simple(size) with
    {
        Links = 2, Length1 = 0.6f, Length2 = 0.5f, Scale = 2.8f, BobColor = new Rgb(0.2, 0.6, 0.95),
    };

    public static float[] RenderReference(RenderSpec spec, float[] states, FrameIndexing indexing = default)
    {
        if (indexing.FramesPerEnv == 0) indexing = new FrameIndexing(1);
        int n = states.Length / spec.StateSize;
        var looks = EnvLooks.Draw(spec, (int)indexing.EnvBase, (n + indexing.FramesPerEnv - 1) / indexing.FramesPerEnv);
        var frames = new float[n * spec.FrameFloats];
        frames.AsSpan().Fill(float.NaN);
        ReferenceRenderer.Render(spec, states, looks, indexing, 0, frames);
        return frames;
    }
}
