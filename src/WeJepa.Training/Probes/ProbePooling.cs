namespace WeJepa.Training.Probes;

/// <summary>
/// How a probe turns an input's tokens into one feature vector. <see cref="Mean"/> (the seed's probe): the mean over
/// tokens, D features, blind to where in the frame (and when in the clip) a feature fired. <see cref="Tokens"/>: every
/// token's features in grid order (N·D, as frozen-feature evaluations keep patch tokens), so a linear head can weigh a
/// place and a time slot, e.g. read the bob's motion from the tubelets it crosses.
/// </summary>
public enum ProbePooling { Mean, Tokens }

public static class ProbePoolings
{
    /// <summary>Every pooling in order: Mean, Tokens.</summary>
    public static readonly ProbePooling[] All = Enum.GetValues<ProbePooling>();

    /// <summary>The pooling's name as the CLI, probe.json and the study write it: <c>mean</c>, <c>tokens</c>.</summary>
    public static string Name(this ProbePooling pooling) => pooling.ToString().ToLowerInvariant();

    /// <summary>The pooling named <paramref name="name"/> (one of <see cref="Name"/>'s).</summary>
    public static ProbePooling Parse(string name) => All.Single(p => p.Name() == name);
}
