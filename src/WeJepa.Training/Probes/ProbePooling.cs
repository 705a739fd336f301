namespace WeJepa.Training.Probes;

/// <summary>
/// How a probe turns an input's tokens into one feature vector. <see cref="Mean"/> (the seed's probe): the mean over
/// tokens, D features, blind to where in the frame (and when in the clip) a feature fired. <see cref="Tokens"/>: every
/// token's features in grid order (N·D, as frozen-feature evaluations keep patch tokens), so a linear head can weigh a
/// place and a time slot, e.g. read the bob's motion from the tubelets it crosses.
/// </summary>
public enum ProbePooling { Mean, Tokens }
