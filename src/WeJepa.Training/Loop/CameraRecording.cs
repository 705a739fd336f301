using WeJepa.Core.Diagnostics;
using WeJepa.Core.Scenes;

namespace WeJepa.Training.Loop;

/// <summary>
/// What a camera-only user has of <see cref="Episodes"/> episodes of <see cref="Frames"/> frames each — the encoder's
/// features (E, T, F) — and the simulator's states (E, T, S) beside them, used only to fit the state head and to score.
/// <see cref="FirstEpisode"/> is the scene-episode index of row 0 (its initial state and look). <see cref="Traffic"/>
/// is the host traffic of the steady-state steps (every step after the first), frames included if any crossed.
/// <see cref="Scene"/> is the scene as filmed (its seed fixes the episodes).
/// </summary>
public sealed record CameraRecording(Scene Scene, int Episodes, int Frames, int FeatureSize, int StateSize, float[] Features, float[] States,
    int FirstEpisode, RecordingTraffic Traffic)
{
    public ReadOnlySpan<float> FeaturesOf(int episode, int frame) => Features.AsSpan((int)(((long)episode * Frames + frame) * FeatureSize), FeatureSize);
    public ReadOnlySpan<float> StateOf(int episode, int frame) => States.AsSpan((int)(((long)episode * Frames + frame) * StateSize), StateSize);

    /// <summary>The rows of these episodes, each cut to its first <paramref name="frames"/> frames.</summary>
    public CameraRecording Head(int frames)
    {
        if (frames < 1 || frames > Frames) throw new ArgumentOutOfRangeException(nameof(frames), frames, $"recording: {Frames} frames per episode");
        var (f, s) = (new float[(long)Episodes * frames * FeatureSize], new float[(long)Episodes * frames * StateSize]);
        for (int e = 0; e < Episodes; e++)
        {
            Array.Copy(Features, (long)e * Frames * FeatureSize, f, (long)e * frames * FeatureSize, (long)frames * FeatureSize);
            Array.Copy(States, (long)e * Frames * StateSize, s, (long)e * frames * StateSize, (long)frames * StateSize);
        }
        return this with { Frames = frames, Features = f, States = s };
    }

    /// <summary>These episodes followed by <paramref name="other"/>'s (same frame count and sizes).</summary>
    public CameraRecording Append(CameraRecording other)
    {
        if (other.Frames != Frames || other.FeatureSize != FeatureSize || other.StateSize != StateSize)
            throw new ArgumentException("recording: appended episodes differ in frames, feature or state size");
        return this with { Episodes = Episodes + other.Episodes, Features = [.. Features, .. other.Features], States = [.. States, .. other.States],
            Traffic = Traffic + other.Traffic };
    }
}

/// <summary>
/// Host traffic of a recording's steady state, over <see cref="Steps"/> steps: bytes through the simulator's and the
/// engine's <see cref="TransferCounter"/>s, and the part the design accounts for (each step reads the states back for
/// supervision and the features for the head; the encoder its constant tables). <see cref="FrameBytes"/> is what is left: frames that crossed.
/// </summary>
public readonly record struct RecordingTraffic(long Steps, TransferSnapshot Simulator, TransferSnapshot Engine, long AccountedBytes, long FrameBatchBytes)
{
    public long TotalBytes => Simulator.Total + Engine.Total;
    public long FrameBytes => TotalBytes - AccountedBytes;
    public double BytesPerStep => Steps == 0 ? 0 : (double)TotalBytes / Steps;
    public double FrameBytesPerStep => Steps == 0 ? 0 : (double)FrameBytes / Steps;

    public static RecordingTraffic operator +(RecordingTraffic a, RecordingTraffic b) =>
        new(a.Steps + b.Steps, a.Simulator + b.Simulator, a.Engine + b.Engine, a.AccountedBytes + b.AccountedBytes, Math.Max(a.FrameBatchBytes, b.FrameBatchBytes));
}
