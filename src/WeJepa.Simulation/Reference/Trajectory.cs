namespace WeJepa.Simulation.Reference;

/// <summary>
/// A batch of simulated episodes. <see cref="States"/> is (N, T+1, S) C-order; energies are (N, T+1);
/// index 0 along T is the initial state, step k is at time k·dt.
/// </summary>
public sealed record Trajectory(int Envs, int Steps, int StateSize, double Dt, double[] States, double[] Kinetic, double[] Potential)
{
    public int Frames => Steps + 1;

    /// <summary>(N, T+1) total energy.</summary>
    public double[] Total => Kinetic.Zip(Potential, (k, p) => k + p).ToArray();

    /// <summary>State (S) of environment <paramref name="env"/> after <paramref name="step"/> steps.</summary>
    public ReadOnlySpan<double> State(int env, int step) => States.AsSpan((env * Frames + step) * StateSize, StateSize);

    public Energy Energy(int env, int step) => new(Kinetic[env * Frames + step], Potential[env * Frames + step]);

    /// <summary>One coordinate over time for one environment (e.g. θ(t) with coordinate 0).</summary>
    public double[] Series(int env, int coordinate) =>
        Enumerable.Range(0, Frames).Select(k => States[(env * Frames + k) * StateSize + coordinate]).ToArray();
}
